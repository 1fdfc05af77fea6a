using MediaWorker.Testing;

namespace MediaWorker.Plugins.Speech.Tests.Support;

/// <summary>
/// The libwhisper.so the set-up hook builds. ./run_tests.sh has run the hook already; running it
/// again here is a cache hit (milliseconds) and makes a plain <c>dotnet test</c> work too.
/// </summary>
internal static class WhisperBuild
{
    private static readonly Lazy<string> CacheLazy = new(Build, LazyThreadSafetyMode.ExecutionAndPublication);

    /// <summary>$MW_ROOT/.cache/whisper, holding libwhisper.so and include/{whisper.h,ggml.h}.</summary>
    public static string CacheDirectory => CacheLazy.Value;

    public static string Library => Path.Combine(CacheDirectory, "libwhisper.so");

    public static string IncludeDirectory => Path.Combine(CacheDirectory, "include");

    public static string TestModel => Path.Combine(RepoPaths.TestData, "for-tests-ggml-tiny.en.bin");

    public static string JfkWav => Path.Combine(RepoPaths.TestData, "jfk.wav");

    private static string Build()
    {
        NativeTool.Run(
            "bash",
            [Path.Combine(RepoPaths.Root, "scripts", "setup.d", "whisper.sh")],
            new Dictionary<string, string?> { ["MW_ROOT"] = RepoPaths.Root, ["MW_PUBLISH"] = null },
            TimeSpan.FromMinutes(10));
        return Path.Combine(RepoPaths.Root, ".cache", "whisper");
    }
}
