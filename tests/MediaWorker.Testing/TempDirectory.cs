namespace MediaWorker.Testing;

/// <summary>A fresh folder under the system temp folder, deleted on dispose (kept when MW_KEEP_TEMP=1).</summary>
public sealed class TempDirectory : IDisposable
{
    public TempDirectory(string prefix = "mw-test")
    {
        Path = System.IO.Path.Combine(System.IO.Path.GetTempPath(), $"{prefix}-{Guid.NewGuid():N}"[..(prefix.Length + 13)]);
        Directory.CreateDirectory(Path);
    }

    public string Path { get; }

    public string Combine(params string[] parts) => System.IO.Path.Combine([Path, .. parts]);

    public void Dispose()
    {
        if (Environment.GetEnvironmentVariable("MW_KEEP_TEMP") == "1")
        {
            return;
        }

        try
        {
            Directory.Delete(Path, recursive: true);
        }
        catch (IOException)
        {
        }
        catch (UnauthorizedAccessException)
        {
        }
    }
}
