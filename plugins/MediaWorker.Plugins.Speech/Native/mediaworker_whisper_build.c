// Compiled into libwhisper.so by scripts/setup.d/whisper.sh, next to whisper.cpp's own sources.
//
// whisper.cpp as bundled in smart-whisper 0.8.1 exports no version function, and whisper_full()
// takes its large, version-specific parameter struct by value. These exports let the plugin
// recognise the build it was written for and compare the struct sizes the compiler saw with its
// own mirrors before the first by-value call, instead of corrupting the stack of a foreign build.
#include <stddef.h>

#include "whisper.h"

#ifndef MEDIAWORKER_WHISPER_SOURCE
#error "MEDIAWORKER_WHISPER_SOURCE (e.g. \"smart-whisper@0.8.1\") must be defined by the build script"
#endif

#define MW_EXPORT __attribute__((visibility("default")))

// The package the whisper.cpp sources came from, e.g. "smart-whisper@0.8.1".
MW_EXPORT const char * mediaworker_whisper_source(void) {
    return MEDIAWORKER_WHISPER_SOURCE;
}

MW_EXPORT size_t mediaworker_whisper_full_params_size(void) {
    return sizeof(struct whisper_full_params);
}

MW_EXPORT size_t mediaworker_whisper_context_params_size(void) {
    return sizeof(struct whisper_context_params);
}

MW_EXPORT size_t mediaworker_whisper_token_data_size(void) {
    return sizeof(whisper_token_data);
}
