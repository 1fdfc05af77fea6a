using System.Runtime.InteropServices;
using System.Text;
using MediaWorker.Plugins.Speech.Native;
using MediaWorker.Plugins.Speech.Transcripts;

namespace MediaWorker.Plugins.Speech.Transcription;

/// <summary>Copies the result of a finished <c>whisper_full_with_state</c> out of the state into a <see cref="Transcript"/>.</summary>
internal static unsafe class SegmentReader
{
    private const double CentisecondsPerSecond = 100.0;

    /// <param name="model">The model the state belongs to.</param>
    /// <param name="state">The state whisper_full ran in.</param>
    /// <param name="noSpeech">The no-speech probability per segment index, from <see cref="WhisperRun"/>.</param>
    /// <param name="duration">The real audio duration in seconds: times inside the padding are clamped to it.</param>
    /// <param name="wordTimestamps">Whether token timestamps were computed (and words are wanted).</param>
    public static Transcript Read(WhisperModel model, WhisperStateHandle state, IReadOnlyList<double?> noSpeech, double duration, bool wordTimestamps)
    {
        var language = WhisperModel.LanguageCode(WhisperNative.whisper_full_lang_id_from_state(state));
        var splitOnCharacters = WordBuilder.SplitsOnCharacters(language);
        var count = WhisperNative.whisper_full_n_segments_from_state(state);
        var segments = new List<TranscriptSegment>(count);
        var text = new StringBuilder();
        for (var i = 0; i < count; i++)
        {
            var rawText = Utf8(WhisperNative.whisper_full_get_segment_text_from_state(state, i));
            text.Append(rawText);
            var start = Clamp(WhisperNative.whisper_full_get_segment_t0_from_state(state, i) / CentisecondsPerSecond, duration);
            var end = Math.Max(start, Clamp(WhisperNative.whisper_full_get_segment_t1_from_state(state, i) / CentisecondsPerSecond, duration));
            var words = wordTimestamps ? WordBuilder.Build(Tokens(model, state, i, duration), splitOnCharacters) : [];
            segments.Add(new TranscriptSegment(start, end, rawText.Trim(), i < noSpeech.Count ? noSpeech[i] : null, words));
        }

        return new Transcript(language, duration, text.ToString().Trim(), segments);
    }

    private static List<TextToken> Tokens(WhisperModel model, WhisperStateHandle state, int segment, double duration)
    {
        var count = WhisperNative.whisper_full_n_tokens_from_state(state, segment);
        var tokens = new List<TextToken>(count);
        for (var j = 0; j < count; j++)
        {
            var data = WhisperNative.whisper_full_get_token_data_from_state(state, segment, j);
            if (data.id >= model.EndOfTextToken)
            {
                continue; // timestamps, language and task tokens carry no text
            }

            var bytes = Bytes(WhisperNative.whisper_full_get_token_text_from_state(model.Context, state, segment, j));
            var start = Clamp(data.t0 / CentisecondsPerSecond, duration);
            tokens.Add(new TextToken(bytes, data.p, start, Math.Max(start, Clamp(data.t1 / CentisecondsPerSecond, duration))));
        }

        return tokens;
    }

    private static double Clamp(double seconds, double duration) => Math.Clamp(seconds, 0, duration);

    private static byte[] Bytes(byte* text) => text is null ? [] : MemoryMarshal.CreateReadOnlySpanFromNullTerminated(text).ToArray();

    // A token may end inside a multi-byte character, but a segment's text is whole characters.
    private static string Utf8(byte* text) => Encoding.UTF8.GetString(Bytes(text));
}
