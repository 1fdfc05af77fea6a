namespace MediaWorker.Messaging.Mqtt.Native;

/// <summary>The <c>MOSQ_LOG_*</c> levels passed to the log callback.</summary>
[Flags]
internal enum MosquittoLogLevel
{
    None = 0,
    Info = 1 << 0,
    Notice = 1 << 1,
    Warning = 1 << 2,
    Err = 1 << 3,
    Debug = 1 << 4,
}
