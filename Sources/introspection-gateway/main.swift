import GatewayHTTP; import DevIdentityProvider; print("x")
