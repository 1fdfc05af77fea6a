// Compiled into libwhisper.so by scripts/setup.d/whisper.sh, next to whisper.cpp's own sources.
//
// 1. Build information. whisper.cpp as bundled in smart-whisper 0.8.1 exports no version function,
//    and whisper_full() takes its large, version-specific parameter struct by value. These exports
//    name the source package and report the struct sizes the compiler saw, so the plugin can refuse
//    a build its mirrors do not fit before the first by-value call.
// 2. Exception guards. whisper.cpp is C++ behind a C API and throws through it on bad input (a
//    truncated model file ends in std::out_of_range from map::at, a huge input in std::bad_alloc).
//    An exception that reaches the .NET runtime aborts the whole worker, so the plugin calls these
//    wrappers, which turn any exception into the function's failure value and a message.
#include <cstddef>
#include <cstdio>
#include <exception>
#include <new>

#include "whisper.h"

#ifndef MEDIAWORKER_WHISPER_SOURCE
#error "MEDIAWORKER_WHISPER_SOURCE (e.g. \"smart-whisper@0.8.1\") must be defined by the build script"
#endif

#define MW_EXPORT extern "C" __attribute__((visibility("default")))

// whisper_full's result when the guard caught an exception (whisper.cpp's own codes are -2 to -8).
#define MW_WHISPER_EXCEPTION (-100)

namespace {

void describe(const char * operation, char * error, size_t error_size) {
    if (error == nullptr || error_size == 0) {
        return;
    }
    try {
        throw;
    } catch (const std::bad_alloc &) {
        snprintf(error, error_size, "%s ran out of memory (std::bad_alloc)", operation);
    } catch (const std::exception & e) {
        snprintf(error, error_size, "%s threw a C++ exception: %s", operation, e.what());
    } catch (...) {
        snprintf(error, error_size, "%s threw an unknown C++ exception", operation);
    }
}

}  // namespace

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

// whisper_init_from_file_with_params_no_state, returning NULL (and a message in error) instead of throwing.
MW_EXPORT struct whisper_context * mediaworker_whisper_init_from_file_no_state(
        const char * path_model, const struct whisper_context_params * params, char * error, size_t error_size) {
    try {
        return whisper_init_from_file_with_params_no_state(path_model, *params);
    } catch (...) {
        describe("whisper_init_from_file_with_params_no_state", error, error_size);
        return nullptr;
    }
}

// whisper_full_with_state, returning MW_WHISPER_EXCEPTION (and a message in error) instead of throwing.
// The parameters come by pointer: the by-value copy whisper.cpp wants is made here, in C++.
MW_EXPORT int mediaworker_whisper_full_with_state(
        struct whisper_context * ctx, struct whisper_state * state, const struct whisper_full_params * params,
        const float * samples, int n_samples, char * error, size_t error_size) {
    try {
        return whisper_full_with_state(ctx, state, *params, samples, n_samples);
    } catch (...) {
        describe("whisper_full_with_state", error, error_size);
        return MW_WHISPER_EXCEPTION;
    }
}
