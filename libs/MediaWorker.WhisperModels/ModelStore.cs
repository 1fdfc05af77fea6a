namespace MediaWorker.WhisperModels;

/// <summary>
/// The folder pulled models live in, <c>$CL_SERVER_DIR/models</c>, holding files named as whisper.cpp
/// publishes them (<c>ggml-base.en.bin</c>).
/// </summary>
/// <param name="Directory">The models folder.</param>
public sealed record ModelStore(string Directory)
{
    /// <summary>The name of the folder under the server directory.</summary>
    public const string FolderName = "models";

    /// <summary>The store of a server directory (CL_SERVER_DIR).</summary>
    public static ModelStore ForServerDirectory(string serverDirectory) => new(Path.Combine(Path.GetFullPath(serverDirectory), FolderName));

    /// <summary>Where the model of that name is (or will be, once pulled).</summary>
    public string PathOf(string name) => Path.Combine(Directory, ModelNames.FileName(name));

    /// <summary>The model files in the folder (finished pulls only), by name.</summary>
    public IEnumerable<string> PulledFiles() =>
        System.IO.Directory.Exists(Directory)
            ? System.IO.Directory.EnumerateFiles(Directory, "ggml-*.bin").Order(StringComparer.Ordinal)
            : [];
}
