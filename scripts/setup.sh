# Shared set-up for start_worker.sh and run_tests.sh: sourced, not run.
# Installs what is missing (apt-get when root, a clear message otherwise) and publishes the daemon
# and every plugin into ./publish, rebuilding only projects whose inputs changed.

MW_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
MW_PUBLISH="${MW_PUBLISH_DIR:-$MW_ROOT/publish}"

# Debian packages the daemon, its plugins and the tests use at run time or build time.
MW_APT_PACKAGES=(
  ca-certificates
  mosquitto mosquitto-clients
  ffmpeg
  imagemagick libvips-tools libjxl-tools pkg-config
  openssl gcc make
  postgresql
  espeak-ng libgomp1
  chromium chromium-driver
  tzdata
)

mw_log() { printf '[setup] %s\n' "$*" >&2; }

mw_ensure_system_packages() {
  local missing=() pkg
  for pkg in "${MW_APT_PACKAGES[@]}"; do
    dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" || missing+=("$pkg")
  done
  if [ ${#missing[@]} -eq 0 ]; then
    return 0
  fi
  if [ "$(id -u)" -ne 0 ]; then
    mw_log "missing Debian packages: ${missing[*]}"
    mw_log "run as root, or install them first: sudo apt-get update && sudo apt-get install -y ${missing[*]}"
    return 1
  fi
  mw_log "installing ${missing[*]}"
  DEBIAN_FRONTEND=noninteractive apt-get update -qq >/dev/null
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
}

mw_ensure_dotnet() {
  if ! command -v dotnet >/dev/null 2>&1; then
    mw_log "the .NET 10 SDK is not installed: see https://learn.microsoft.com/dotnet/core/install/linux-debian"
    return 1
  fi
  export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1
}

# A fingerprint of a project's inputs (its folder plus everything every project shares).
mw_fingerprint() {
  local dirs=("$@" "$MW_ROOT/MediaWorker.Plugins.Abstractions" "$MW_ROOT/build" "$MW_ROOT/libs")
  {
    find "${dirs[@]}" -type f \( -name '*.cs' -o -name '*.csproj' -o -name '*.props' -o -name '*.targets' \
      -o -name '*.json' -o -name '*.c' -o -name '*.h' -o -name '*.sh' -o -name '*.html' -o -name '*.js' -o -name '*.css' -o -name '*.svg' \) -not -path '*/bin/*' -not -path '*/obj/*' \
      -printf '%p %T@ %s\n' 2>/dev/null
    ls -l --time-style=+%s "$MW_ROOT"/Directory.*.props
  } | sort | sha1sum | cut -d' ' -f1
}

# mw_publish_project <csproj> <output dir> <stamp name> [extra dotnet publish arguments...]
mw_publish_project() {
  local csproj="$1" out="$2" name="$3" stamp fp
  shift 3
  stamp="$MW_PUBLISH/.stamps/$name"
  # The arguments are part of the stamp: publishing differently is a change too.
  fp="$(mw_fingerprint "$(dirname "$csproj")") $*"
  if [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$fp" ] && [ -d "$out" ]; then
    return 0
  fi
  mw_log "publishing $name"
  dotnet publish "$csproj" -c Release -o "$out" --nologo -v q -clp:ErrorsOnly "$@"
  mkdir -p "$(dirname "$stamp")"
  echo "$fp" >"$stamp"
}

mw_build_publish() {
  mw_ensure_dotnet || return 1
  mkdir -p "$MW_PUBLISH/plugins"
  # The daemon is compiled ahead of time (ReadyToRun) for this machine's runtime: it starts in about
  # two thirds of the time and spends half the CPU warming up (BENCHMARKS.md, "ReadyToRun").
  local ahead_of_time=()
  case "$(uname -m)" in
    x86_64) ahead_of_time=(-r linux-x64) ;;
    aarch64 | arm64) ahead_of_time=(-r linux-arm64) ;;
    armv7l) ahead_of_time=(-r linux-arm) ;;
  esac
  [ ${#ahead_of_time[@]} -gt 0 ] && ahead_of_time+=(--self-contained false -p:PublishReadyToRun=true)
  mw_publish_project "$MW_ROOT/MediaWorker/MediaWorker.csproj" "$MW_PUBLISH" daemon "${ahead_of_time[@]}" || return 1
  local proj name
  for proj in "$MW_ROOT"/plugins/*/*.csproj; do
    [ -e "$proj" ] || continue
    name="$(basename "$proj" .csproj)"
    name="${name#MediaWorker.Plugins.}"
    local extra=()
    # Image: Magick.NET ships its native library for linux-x64, linux-musl-x64 and win-x64; only the
    # one this machine runs is copied (about 110 MB less in the plugin folder).
    [ "$name" = Image ] && extra=(-r linux-x64 --self-contained false)
    mw_publish_project "$proj" "$MW_PUBLISH/plugins/$name" "plugin-$name" "${extra[@]}" || return 1
  done
  # Native pieces a plugin builds at set-up hook in here (scripts/setup.d/*.sh).
  local hook
  for hook in "$MW_ROOT"/scripts/setup.d/*.sh; do
    [ -e "$hook" ] || continue
    # shellcheck disable=SC1090
    source "$hook" || return 1
  done
}
