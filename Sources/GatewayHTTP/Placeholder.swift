import Hummingbird; import Prometheus; import NIOHTTPTypes
