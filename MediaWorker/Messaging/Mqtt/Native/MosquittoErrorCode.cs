namespace MediaWorker.Messaging.Mqtt.Native;

/// <summary>
/// <c>enum mosq_err_t</c> from mosquitto.h (libmosquitto 2.0). NativeDeclarationTests compares every
/// value with the header through a compiled C program.
/// </summary>
internal enum MosquittoErrorCode
{
    AuthContinue = -4,
    NoSubscribers = -3,
    SubExists = -2,
    ConnPending = -1,
    Success = 0,
    NoMem = 1,
    Protocol = 2,
    Inval = 3,
    NoConn = 4,
    ConnRefused = 5,
    NotFound = 6,
    ConnLost = 7,
    Tls = 8,
    PayloadSize = 9,
    NotSupported = 10,
    Auth = 11,
    AclDenied = 12,
    Unknown = 13,
    Errno = 14,
    Eai = 15,
    Proxy = 16,
    PluginDefer = 17,
    MalformedUtf8 = 18,
    Keepalive = 19,
    Lookup = 20,
    MalformedPacket = 21,
    DuplicateProperty = 22,
    TlsHandshake = 23,
    QosNotSupported = 24,
    OversizePacket = 25,
    Ocsp = 26,
    Timeout = 27,
    RetainNotSupported = 28,
    TopicAliasInvalid = 29,
    AdministrativeAction = 30,
    AlreadyExists = 31,
}
