using MediaWorker.Ffmpeg.Processes;

namespace MediaWorker.Ffmpeg.Inputs;

/// <summary>
/// Which of ffmpeg's demuxers read other files than the one they are given, and the whitelist of
/// all the others (read once from <c>ffprobe -demuxers</c>, so it matches the installed build).
/// </summary>
internal sealed class DemuxerCatalog
{
    /// <summary>Demuxers that follow the references in a playlist or list; their references are checked first.</summary>
    public static readonly IReadOnlyDictionary<string, string> Checked = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        ["hls"] = "an HLS playlist",
        ["concat"] = "a concat list",
    };

    /// <summary>Demuxers that read files, devices or the network on their own terms; never used for a local input.</summary>
    public static readonly IReadOnlyDictionary<string, string> Refused = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        ["dash"] = "a DASH manifest",
        ["imf"] = "an IMF composition playlist",
        ["vobsub"] = "a VobSub index",
        ["sdp"] = "an SDP session description",
        ["rtsp"] = "an RTSP description",
        ["rtp"] = "an RTP description",
        ["avisynth"] = "an AviSynth script",
        ["vapoursynth"] = "a VapourSynth script",
        ["dvdvideo"] = "a DVD-Video folder",
        ["lavfi"] = "a filter graph",
    };

    /// <summary>Capture devices: never a job's input, and never allowed inside a checked playlist either.</summary>
    private static readonly HashSet<string> Devices = new(StringComparer.Ordinal)
    {
        "alsa", "fbdev", "jack", "kmsgrab", "oss", "pulse", "sndio", "video4linux2", "v4l2", "x11grab", "openal",
        "iec61883", "decklink", "libcdio", "libdc1394", "dshow", "gdigrab", "avfoundation", "android_camera",
    };

    private DemuxerCatalog(string plainWhitelist)
    {
        PlainWhitelist = plainWhitelist;
    }

    /// <summary>Every installed demuxer that reads only the file it is given, comma-separated for <c>-format_whitelist</c>.</summary>
    public string PlainWhitelist { get; }

    /// <summary>True when any of a demuxer's names (e.g. <c>mov,mp4,m4a</c>) is in <paramref name="names"/>.</summary>
    public static bool Matches(string demuxer, IReadOnlyDictionary<string, string> names, out string description)
    {
        foreach (var name in demuxer.Split(','))
        {
            if (names.TryGetValue(name, out description!))
            {
                return true;
            }
        }

        description = string.Empty;
        return false;
    }

    public static async Task<DemuxerCatalog> LoadAsync(FfmpegToolPaths paths, CancellationToken cancellationToken)
    {
        var names = new List<string>();
        var listing = false;
        var request = new ProcessRequest(paths.Ffprobe, ["-hide_banner", "-demuxers"])
        {
            Timeout = TimeSpan.FromSeconds(30),
            StandardOutput = (stream, _) => Running.StreamLines.ReadAsync(stream, line =>
            {
                // " D  mov,mp4,m4a,3gp,3g2,mj2 QuickTime / MOV" after a " --" line.
                if (line.Trim() == "--")
                {
                    listing = true;
                }
                else if (listing && line.Length > 4 && line[1] == 'D')
                {
                    var name = line[4..].Split(' ', 2)[0];
                    if (name.Split(',').All(n => !Checked.ContainsKey(n) && !Refused.ContainsKey(n) && !Devices.Contains(n)))
                    {
                        names.Add(name);
                    }
                }
            }),
        };
        await Running.ToolInvoker.RunAsync(request, "ffprobe", FfmpegToolPaths.FfprobeSetting, cancellationToken);
        return new DemuxerCatalog(string.Join(',', names));
    }
}
