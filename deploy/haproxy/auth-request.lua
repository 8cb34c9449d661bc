-- HAProxy action that asks introspection-gateway about every request (HAProxy >= 2.5,
-- which has core.httpclient; tested with Debian bookworm's 2.6).
--
--   global
--       lua-load /etc/haproxy/auth-request.lua
--   frontend ...
--       http-request lua.introspection-gateway http://gateway:8080/auth
--
-- The action sends `GET <url>` with the client's Authorization header and the original method
-- and path (X-Original-Method / X-Original-URI, and their X-Forwarded-* twins), never the body,
-- and leaves the answer in transaction variables for the configuration to act on:
--
--   txn.auth_status            the gateway's status: 200, 401, 403, 503...; 0 when the gateway
--                              could not be reached or did not answer in time
--   txn.auth_jwt               X-JWT (JWT_HEADER_NAME) of a 200
--   txn.auth_subject, txn.auth_scope, txn.auth_client_id    X-Auth-* of a 200
--   txn.auth_www_authenticate  WWW-Authenticate of a 401 or 403
--
-- The action itself never denies: haproxy.cfg does, and admits only txn.auth_status 200. So if
-- this script fails in any way (an error, HAProxy's Lua timeout) the variable stays unset and
-- the request is refused, never let through.

-- How long one attempt to get the gateway's answer may take, in milliseconds: a little more
-- than the gateway's own bound (it gives up on the identity provider after
-- INTROSPECTION_TIMEOUT, 2s by default, and answers 503). HAProxy 2.6's httpclient retries a
-- failed attempt 3 times and has no setting for that (`httpclient.retries` came in 2.7): a
-- gateway that accepts connections but never answers holds a request 4 x this long, and one
-- that refuses connections about 3 s (three 1 s retry delays), before the 503.
local gateway_timeout_ms = 3000

-- The identity headers of a 200, by the variable they go to. If you set JWT_HEADER_NAME to
-- something else, change "x-jwt" here (lower case: HAProxy lower-cases response header names).
local identity_headers = {
    ["txn.auth_jwt"] = "x-jwt",
    ["txn.auth_subject"] = "x-auth-subject",
    ["txn.auth_scope"] = "x-auth-scope",
    ["txn.auth_client_id"] = "x-auth-client-id",
}

-- The first value of a header in a table of HAProxy's shape: name -> list of values. Depending
-- on the API and version the list starts at index 0 or 1.
local function first_value(headers, name)
    local values = headers and headers[name]
    if values == nil then
        return nil
    end
    return values[0] or values[1]
end

-- All values of a header from txn.http:req_get_headers(), as a list for httpclient.
local function all_values(headers, name)
    local values = headers[name]
    if values == nil then
        return nil
    end
    local list = {}
    for index = 0, #values do
        if values[index] ~= nil then
            list[#list + 1] = values[index]
        end
    end
    return list
end

local function ask_gateway(txn, url)
    local client_headers = txn.http:req_get_headers()
    local method = txn.sf:method()
    local uri = txn.sf:pathq()
    local headers = {
        ["x-original-method"] = { method },
        ["x-original-uri"] = { uri },
        ["x-forwarded-method"] = { method },
        ["x-forwarded-uri"] = { uri },
        ["x-forwarded-for"] = { txn.sf:src() },
        ["x-forwarded-proto"] = { txn.f:ssl_fc() and "https" or "http" },
    }
    local host = first_value(client_headers, "host")
    if host ~= nil then
        headers["x-forwarded-host"] = { host }
    end
    -- Every Authorization header, as sent: the gateway refuses a request with two of them.
    headers["authorization"] = all_values(client_headers, "authorization")

    -- GET without a body: HAProxy 2.6 would send a body chunked (FACTS), and the gateway never
    -- reads one anyway.
    local ok, response = pcall(function()
        return core.httpclient():get { url = url, headers = headers, timeout = gateway_timeout_ms }
    end)
    if not ok then
        txn:Warning("introspection-gateway: request to " .. url .. " failed: " .. tostring(response))
        return 0, nil
    end
    if response == nil or response.status == nil or response.status == 0 then
        txn:Warning("introspection-gateway: no answer from " .. url)
        return 0, nil
    end
    return response.status, response.headers
end

core.register_action("introspection-gateway", { "http-req" }, function(txn, url)
    local status, headers = ask_gateway(txn, url)
    txn:set_var("txn.auth_status", status)
    if status == 200 then
        for variable, name in pairs(identity_headers) do
            local value = first_value(headers, name)
            if value ~= nil and value ~= "" then
                txn:set_var(variable, value)
            end
        end
    elseif status == 401 or status == 403 then
        local challenge = first_value(headers, "www-authenticate")
        if challenge ~= nil then
            txn:set_var("txn.auth_www_authenticate", challenge)
        end
    end
end, 1)
