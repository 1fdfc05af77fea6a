using MediaWorker.Ffmpeg.Inputs.References;
using MediaWorker.Ffmpeg.Processes;

namespace MediaWorker.Ffmpeg.Inputs;

/// <summary>
/// Opens a local file as a <see cref="MediaInput"/> only after finding out what ffmpeg would make
/// of it. A file's name says nothing (an HLS playlist renamed .mp4 is still read as a playlist),
/// so ffprobe identifies the demuxer from the content, stopping before the demuxer opens anything.
/// Demuxers that read other files are then handled by what they are:
/// <list type="bullet">
/// <item>HLS playlists and concat lists are read only when every file they name, and every file
/// named by a playlist they name, passes the caller's check (for jobs: the input_path rules).</item>
/// <item>image2 reads only the named file (<c>-pattern_type none</c>), never a numbered sequence.</item>
/// <item>DASH manifests, IMF, VobSub, SDP, scripts and devices are refused.</item>
/// </list>
/// The input is then pinned to what was checked: <c>-format_whitelist</c> names the identified
/// demuxer (plus, for a playlist or list, the demuxers that read only one file), and the
/// <c>file</c>-only protocol whitelist keeps every reference a plain local file.
/// </summary>
/// <remarks>Thread-safe; one instance serves every job. The demuxer list is read from ffprobe once.</remarks>
/// <param name="paths">Where ffprobe is.</param>
public sealed class LocalInputGuard(FfmpegToolPaths paths)
{
    private const string IdentifyOnly = "mediaworker-identify-only";
    private const int MaxDepth = 4;
    private const int MaxReferences = 100_000;
    private const long MaxListBytes = 16 * 1024 * 1024;

    private Task<DemuxerCatalog>? _catalog;

    /// <summary>
    /// Identifies <paramref name="path"/>'s demuxer and returns the input pinned to it.
    /// </summary>
    /// <param name="path">The file, already resolved through the job's sandbox (absolute, links resolved).</param>
    /// <param name="checkReference">
    /// Given the absolute path of a file a playlist or list names, returns why it may not be read,
    /// or <see langword="null"/> when it may (for a job: the same rules as its input_path).
    /// </param>
    /// <param name="cancellationToken">Kills ffprobe when it fires.</param>
    /// <returns>The input, with its demuxer and the arguments that pin it.</returns>
    /// <exception cref="InputNotAllowedException">The file is a kind ffmpeg would follow out of the sandbox; the message names the reference and the rule.</exception>
    /// <exception cref="FileNotFoundException">ffprobe is not installed.</exception>
    public async Task<MediaInput> OpenAsync(string path, Func<string, string?> checkReference, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        ArgumentNullException.ThrowIfNull(checkReference);
        var plain = MediaInput.FromFile(path);
        var demuxer = await IdentifyAsync(plain, cancellationToken);
        if (demuxer is null)
        {
            // Nothing recognises it: the run itself fails with ffmpeg's own reason (not media, corrupt).
            return plain;
        }

        if (DemuxerCatalog.Matches(demuxer, DemuxerCatalog.Refused, out var refusedKind))
        {
            throw new InputNotAllowedException(
                $"'{plain.DisplayName}' is refused: it is {refusedKind} (ffmpeg's {demuxer} demuxer), which makes ffmpeg read other files, devices or the network; "
                + "of such inputs only HLS playlists and concat lists are read, and only when every file they name is inside the sandbox.");
        }

        if (demuxer.Split(',').Contains("image2"))
        {
            // A '%d' or glob in the name would otherwise read a whole numbered sequence of siblings.
            return plain.Pinned(demuxer, ["-format_whitelist", demuxer, "-pattern_type", "none"]);
        }

        if (!DemuxerCatalog.Matches(demuxer, DemuxerCatalog.Checked, out var kind))
        {
            return plain.Pinned(demuxer, ["-format_whitelist", demuxer]);
        }

        CheckReferences(plain.DisplayName, demuxer, kind, checkReference);
        var catalog = await CatalogAsync(cancellationToken);
        return plain.Pinned(demuxer, ["-format_whitelist", demuxer + "," + catalog.PlainWhitelist]);
    }

    /// <summary>The demuxer ffmpeg picks for the file by its content and name, found without letting it read further.</summary>
    private async Task<string?> IdentifyAsync(MediaInput input, CancellationToken cancellationToken)
    {
        // A whitelist naming no demuxer: ffprobe probes, picks one, and stops before opening it,
        // logging "[<demuxer> @ 0x...] Format not on whitelist".
        string? demuxer = null;
        var request = new ProcessRequest(paths.Ffprobe, ["-hide_banner", "-loglevel", "error", "-format_whitelist", IdentifyOnly, .. input.Arguments()])
        {
            Timeout = TimeSpan.FromSeconds(30),
            StandardErrorLine = line =>
            {
                var at = line.IndexOf(" @ 0x", StringComparison.Ordinal);
                if (demuxer is null && line.StartsWith('[') && at > 1 && line.Contains("Format not on whitelist", StringComparison.Ordinal))
                {
                    demuxer = line[1..at];
                }
            },
        };
        if (ExecutableLocator.TryResolve(paths.Ffprobe) is null)
        {
            throw new FileNotFoundException(
                $"ffprobe was not found ('{paths.Ffprobe}'): install ffmpeg (Debian: apt-get install ffmpeg) or set {FfmpegToolPaths.FfprobeSetting} to the program's path.",
                paths.Ffprobe);
        }

        await ProcessRunner.RunAsync(request, cancellationToken);
        return demuxer;
    }

    private static void CheckReferences(string top, string demuxer, string kind, Func<string, string?> checkReference)
    {
        var seen = new HashSet<string>(StringComparer.Ordinal) { top };
        var pending = new Queue<(string File, int Depth)>([(top, 0)]);
        while (pending.TryDequeue(out var item))
        {
            foreach (var reference in ReadReferences(item.File, demuxer))
            {
                var resolved = ReferenceResolver.Resolve(item.File, reference, rule => Refusal(top, kind, item.File, reference, rule));
                if (checkReference(resolved) is { } rule)
                {
                    throw Refusal(top, kind, item.File, reference, rule);
                }

                if (!seen.Add(resolved))
                {
                    continue;
                }

                if (seen.Count > MaxReferences)
                {
                    throw new InputNotAllowedException($"'{top}' is refused: it is {kind} naming more than {MaxReferences} files.");
                }

                // A playlist may name playlists (a master names its variants): check theirs too.
                if (StartsWith(resolved, demuxer == "hls" ? HlsPlaylistReferences.Signature : ConcatListReferences.Signature))
                {
                    if (item.Depth + 1 > MaxDepth)
                    {
                        throw new InputNotAllowedException($"'{top}' is refused: it is {kind} nested more than {MaxDepth} levels deep.");
                    }

                    pending.Enqueue((resolved, item.Depth + 1));
                }
            }
        }
    }

    private static IEnumerable<string> ReadReferences(string file, string demuxer)
    {
        if (new FileInfo(file).Length > MaxListBytes)
        {
            throw new InputNotAllowedException($"'{file}' is refused: a playlist or list larger than {MaxListBytes / (1024 * 1024)} MiB is not read.");
        }

        var lines = File.ReadLines(file);
        return demuxer == "hls" ? HlsPlaylistReferences.Read(lines) : ConcatListReferences.Read(lines);
    }

    private static InputNotAllowedException Refusal(string top, string kind, string file, string reference, string rule)
    {
        var where = file == top ? string.Empty : $" (in '{file}')";
        return new InputNotAllowedException(
            $"'{top}' is refused: it is {kind} that names '{reference}'{where}: {rule.TrimEnd('.')}. "
            + "A playlist or list is read only when every file it names is inside the sandbox, by the same rules as input_path.");
    }

    private static bool StartsWith(string path, string signature)
    {
        try
        {
            using var stream = File.OpenRead(path);
            var buffer = new byte[signature.Length];
            return stream.ReadAtLeast(buffer, buffer.Length, throwOnEndOfStream: false) == buffer.Length
                && System.Text.Encoding.ASCII.GetString(buffer) == signature;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return false;
        }
    }

    private Task<DemuxerCatalog> CatalogAsync(CancellationToken cancellationToken)
    {
        // Loaded once (not on behalf of one job, so not with its token); a failed load is retried.
        var current = Volatile.Read(ref _catalog);
        if (current is null || current.IsFaulted || current.IsCanceled)
        {
            var loading = DemuxerCatalog.LoadAsync(paths, CancellationToken.None);
            current = Interlocked.CompareExchange(ref _catalog, loading, current) == current ? loading : Volatile.Read(ref _catalog)!;
        }

        return current.WaitAsync(cancellationToken);
    }
}
