namespace MediaWorker.Configuration;

/// <summary>
/// What the database commands (submit, jobs, job, cancel, retry, purge) need, and nothing more: a bad
/// MQTT or worker setting in worker.env does not stop a producer from submitting or a person from cancelling.
/// </summary>
public sealed record DatabaseSettings
{
    public required string ServerDirectory { get; init; }
    public required StoreSettings Store { get; init; }
    /// <summary>Where job folders live (purge deletes them).</summary>
    public required string ComputeStorageDirectory { get; init; }

    /// <summary>Reads CL_SERVER_DIR, DATABASE_* and COMPUTE_STORAGE_DIR; every invalid value is reported.</summary>
    public static DatabaseSettings Load(SettingsSource source)
    {
        var reader = new SettingsReader(source);
        var settings = Read(reader);
        reader.ThrowIfInvalid();
        return settings;
    }

    internal static DatabaseSettings Read(SettingsReader reader)
    {
        var serverDir = Path.GetFullPath(reader.Text("CL_SERVER_DIR", Path.Combine(Environment.CurrentDirectory, "data")));
        return new DatabaseSettings
        {
            ServerDirectory = serverDir,
            Store = StoreSettings.Read(reader, serverDir),
            ComputeStorageDirectory = Path.GetFullPath(reader.Text("COMPUTE_STORAGE_DIR", Path.Combine(serverDir, "compute"))),
        };
    }
}
