// The baseline for benchmarks/speech/run.sh: the same libwhisper.so the plugin uses, called directly
// from C with the parameters the plugin's transcribe task uses by default (greedy, token timestamps,
// split on words). Prints one JSON line: model load time, transcription time, segments, audio seconds.
//
// Build: gcc -O2 -I.cache/whisper/include whisper_direct.c -L.cache/whisper -lwhisper -o whisper_direct
// Usage: whisper_direct <model.bin> <audio.wav: 16 kHz mono 16-bit PCM> <threads>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "whisper.h"

static double now_ms(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec * 1000.0 + ts.tv_nsec / 1e6;
}

static void quiet_log(enum ggml_log_level level, const char * text, void * user_data) {
    (void) level; (void) text; (void) user_data;
}

// Reads the "data" chunk of a RIFF/WAVE file holding 16 kHz mono signed 16-bit PCM.
static float * read_wav(const char * path, int * n_samples) {
    FILE * f = fopen(path, "rb");
    if (!f) { perror(path); return NULL; }
    char header[12];
    if (fread(header, 1, 12, f) != 12 || memcmp(header, "RIFF", 4) != 0 || memcmp(header + 8, "WAVE", 4) != 0) {
        fprintf(stderr, "%s: not a RIFF/WAVE file\n", path); fclose(f); return NULL;
    }
    for (;;) {
        char id[4]; uint32_t size;
        if (fread(id, 1, 4, f) != 4 || fread(&size, 4, 1, f) != 1) { fprintf(stderr, "%s: no data chunk\n", path); fclose(f); return NULL; }
        if (memcmp(id, "fmt ", 4) == 0) {
            uint16_t fmt[8];
            if (size < 16 || fread(fmt, 1, 16, f) != 16) { fclose(f); return NULL; }
            uint32_t rate; memcpy(&rate, &fmt[2], 4);
            if (fmt[0] != 1 || fmt[1] != 1 || rate != 16000 || fmt[7] != 16) {
                fprintf(stderr, "%s: need 16 kHz mono 16-bit PCM\n", path); fclose(f); return NULL;
            }
            fseek(f, size - 16 + (size & 1), SEEK_CUR);
        } else if (memcmp(id, "data", 4) == 0) {
            int n = (int) (size / 2);
            int16_t * pcm = malloc(size);
            float * out = malloc(sizeof(float) * (size_t) n);
            if (fread(pcm, 2, (size_t) n, f) != (size_t) n) { free(pcm); free(out); fclose(f); return NULL; }
            for (int i = 0; i < n; i++) out[i] = pcm[i] / 32768.0f;
            free(pcm); fclose(f);
            *n_samples = n;
            return out;
        } else {
            fseek(f, size + (size & 1), SEEK_CUR);
        }
    }
}

int main(int argc, char ** argv) {
    if (argc != 4) { fprintf(stderr, "usage: %s <model.bin> <audio.wav> <threads>\n", argv[0]); return 2; }
    whisper_log_set(quiet_log, NULL);
    int n_samples = 0;
    float * samples = read_wav(argv[2], &n_samples);
    if (!samples) return 1;

    double t0 = now_ms();
    struct whisper_context_params cparams = whisper_context_default_params();
    cparams.use_gpu = false;
    struct whisper_context * ctx = whisper_init_from_file_with_params_no_state(argv[1], cparams);
    if (!ctx) { fprintf(stderr, "failed to load %s\n", argv[1]); return 1; }
    double load_ms = now_ms() - t0;

    t0 = now_ms();
    struct whisper_state * state = whisper_init_state(ctx);
    struct whisper_full_params params = whisper_full_default_params(WHISPER_SAMPLING_GREEDY);
    params.n_threads = atoi(argv[3]);
    params.print_progress = false;
    params.print_timestamps = false;
    params.token_timestamps = true;
    params.split_on_word = true;
    // As the plugin does: detect the language only with a multilingual model (an English-only one
    // would spend an encoder pass on detection and report noise).
    params.language = whisper_is_multilingual(ctx) ? "auto" : "en";
    int rc = whisper_full_with_state(ctx, state, params, samples, n_samples);
    double transcribe_ms = now_ms() - t0;
    int n_segments = whisper_full_n_segments_from_state(state);

    printf("{\"load_ms\": %.1f, \"transcribe_ms\": %.1f, \"result\": %d, \"segments\": %d, \"audio_seconds\": %.3f}\n",
           load_ms, transcribe_ms, rc, n_segments, n_samples / 16000.0);
    for (int i = 0; i < n_segments; i++) fprintf(stderr, "%s\n", whisper_full_get_segment_text_from_state(state, i));
    whisper_free_state(state);
    whisper_free(ctx);
    free(samples);
    return rc == 0 ? 0 : 1;
}
