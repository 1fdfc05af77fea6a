namespace MediaWorker.Testing;

/// <summary>Where the repository and its published build are. Test data lives in each test project (nothing outside the clone is read).</summary>
public static class RepoPaths
{
    private static readonly Lazy<string> RootLazy = new(FindRoot);

    /// <summary>The folder holding MediaWorker.sln.</summary>
    public static string Root => RootLazy.Value;

    /// <summary>The published layout made by ./start_worker.sh --build-only (MW_PUBLISH_DIR overrides).</summary>
    public static string Publish => Environment.GetEnvironmentVariable("MW_PUBLISH_DIR") is { Length: > 0 } p ? p : Path.Combine(Root, "publish");

    /// <summary>The published daemon executable.</summary>
    public static string Daemon
    {
        get
        {
            var path = Path.Combine(Publish, "mediaworker");
            if (!File.Exists(path))
            {
                throw new InvalidOperationException($"'{path}' does not exist: run ./start_worker.sh --build-only (./run_tests.sh does) first.");
            }

            return path;
        }
    }

    /// <summary>The published plugins folder.</summary>
    public static string PublishedPlugins => Path.Combine(Publish, "plugins");

    private static string FindRoot()
    {
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "MediaWorker.sln")))
        {
            dir = dir.Parent;
        }

        return dir?.FullName ?? throw new InvalidOperationException("MediaWorker.sln not found above " + AppContext.BaseDirectory);
    }
}
