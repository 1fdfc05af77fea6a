namespace MediaWorker.WhisperModels;

/// <summary>
/// The ggml models whisper.cpp publishes (its models/download-ggml-model.sh list), with the SHA-1s
/// of its models/README.md table. Files without a published SHA-1 are still pulled, and checked
/// for structure, but their checksum is only printed.
/// </summary>
public static class ModelCatalogue
{
    /// <summary>Every known model, smallest first.</summary>
    public static IReadOnlyList<KnownModel> All { get; } =
    [
        new("tiny", "bd577a113a864445d4c299885e0cb97d4ba92b5f", "75 MiB"),
        new("tiny.en", "c78c86eb1a8faa21b369bcd33207cc90d64ae9df", "75 MiB"),
        new("tiny-q5_1", null, "31 MiB"),
        new("tiny.en-q5_1", null, "31 MiB"),
        new("tiny-q8_0", null, "42 MiB"),
        new("base", "465707469ff3a37a2b9b8d8f89f2f99de7299dac", "142 MiB"),
        new("base.en", "137c40403d78fd54d454da0f9bd998f78703390c", "142 MiB"),
        new("base-q5_1", null, "57 MiB"),
        new("base.en-q5_1", null, "57 MiB"),
        new("base-q8_0", null, "78 MiB"),
        new("small", "55356645c2b361a969dfd0ef2c5a50d530afd8d5", "466 MiB"),
        new("small.en", "db8a495a91d927739e50b3fc1cc4c6b8f6c2d022", "466 MiB"),
        new("small.en-tdrz", "b6c6e7e89af1a35c08e6de56b66ca6a02a2fdfa1", "465 MiB"),
        new("small-q5_1", null, "181 MiB"),
        new("small.en-q5_1", null, "181 MiB"),
        new("small-q8_0", null, "252 MiB"),
        new("medium", "fd9727b6e1217c2f614f9b698455c4ffd82463b4", "1.5 GiB"),
        new("medium.en", "8c30f0e44ce9560643ebd10bbe50cd20eafd3723", "1.5 GiB"),
        new("medium-q5_0", null, "514 MiB"),
        new("medium.en-q5_0", null, "514 MiB"),
        new("medium-q8_0", null, "785 MiB"),
        new("large-v1", "b1caaf735c4cc1429223d5a74f0f4d0b9b59a299", "2.9 GiB"),
        new("large-v2", "0f4c8e34f21cf1a914c59d8b3ce882345ad349d6", "2.9 GiB"),
        new("large-v2-q5_0", "00e39f2196344e901b3a2bd5814807a769bd1630", "1.1 GiB"),
        new("large-v2-q8_0", null, "1.5 GiB"),
        new("large-v3", "ad82bf6a9043ceed055076d0fd39f5f186ff8062", "2.9 GiB"),
        new("large-v3-q5_0", "e6e2ed78495d403bef4b7cff42ef4aaadcfea8de", "1.1 GiB"),
        new("large-v3-turbo", null, "1.5 GiB"),
        new("large-v3-turbo-q5_0", null, "547 MiB"),
        new("large-v3-turbo-q8_0", null, "834 MiB"),
    ];

    /// <summary>The model of that name, or <see langword="null"/>.</summary>
    public static KnownModel? Find(string name) => All.FirstOrDefault(m => m.Name == name);

    /// <summary>The model whose published file name this is (<c>ggml-base.en.bin</c>), or <see langword="null"/>.</summary>
    public static KnownModel? FindByFileName(string fileName) => All.FirstOrDefault(m => m.FileName == fileName);
}
