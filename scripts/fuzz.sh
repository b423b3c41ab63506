#!/usr/bin/env bash
# Coverage-guided fuzzing of Softnet with AFL++ and SharpFuzz: scripts/fuzz.sh TARGET [SECONDS]
#   TARGET   wire (the frame parsers), router, lsr or switch (a device's frame path); see fuzz/README.md
#   SECONDS  how long afl-fuzz runs (default 60)
# Installs what is missing (afl++ with apt-get when root, the sharpfuzz tool in .cache/tools), builds fuzz/Softnet.Fuzz
# in Release, instruments the Softnet assemblies of a copy of it, fuzzes from fuzz/corpus/TARGET with findings under
# .cache/fuzz/TARGET, prints a summary and every crashing or hanging input as hex with its stack trace, and exits 1
# if there was any.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"

target="${1:-}"
seconds="${2:-60}"
case "$target" in
  wire) instrument=(Softnet.Wire.dll) ;;
  router|lsr|switch) instrument=(Softnet.Wire.dll Softnet.DataPlane.dll Softnet.Devices.dll) ;;
  *) echo "usage: scripts/fuzz.sh wire|router|lsr|switch [SECONDS]" >&2; exit 2 ;;
esac
if ! [[ "$seconds" =~ ^[1-9][0-9]*$ ]]; then
  echo "fuzz: SECONDS must be a positive whole number, not '$seconds'" >&2
  exit 2
fi

say() { echo "fuzz: $*" >&2; }

if ! command -v afl-fuzz >/dev/null 2>&1; then
  if [ "$(id -u)" -ne 0 ]; then
    say "afl-fuzz is missing (run as root, or: apt-get install afl++)"
    exit 1
  fi
  say "installing afl++"
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq afl++ >/dev/null
fi
tools="$root/.cache/tools"
if [ ! -x "$tools/sharpfuzz" ]; then
  say "installing SharpFuzz.CommandLine 2.3.0 in .cache/tools"
  dotnet tool install --tool-path "$tools" SharpFuzz.CommandLine --version 2.3.0 >/dev/null
fi

# plain/ is the harness as built, for replaying inputs; afl/ is a copy whose Softnet assemblies are instrumented,
# which only runs under afl-fuzz (outside it the instrumentation has no coverage map to write to).
work="$root/.cache/fuzz/$target"
plain="$work/plain"
afl="$work/afl"
findings="$work/findings"
rm -rf "$plain" "$afl" "$findings"
mkdir -p "$work"
say "building fuzz/Softnet.Fuzz (Release)"
dotnet publish fuzz/Softnet.Fuzz -c Release -o "$plain" --nologo -v quiet >"$work/build.log" 2>&1 || { cat "$work/build.log" >&2; exit 1; }
cp -r "$plain" "$afl"
for dll in "${instrument[@]}"; do
  "$tools/sharpfuzz" "$afl/$dll" >"$work/instrument.log" 2>&1 || { cat "$work/instrument.log" >&2; exit 1; }
done
say "instrumented ${instrument[*]}"

corpus="$root/fuzz/corpus/$target"
if ! dotnet "$plain/Softnet.Fuzz.dll" "$target" "$corpus" >"$work/seeds.log"; then
  say "the seed corpus already fails:"
  cat "$work/seeds.log"
  exit 1
fi

export AFL_SKIP_BIN_CHECK=1 AFL_SKIP_CPUFREQ=1 AFL_I_DONT_CARE_ABOUT_MISSING_CRASHES=1 AFL_NO_UI=1 AFL_NO_AFFINITY=1 AFL_FAST_CAL=1
say "fuzzing $target for ${seconds}s from $(find "$corpus" -type f | wc -l) seeds; findings in ${findings#"$root"/}"
status=0
# The harness is one .NET process serving every run (SharpFuzz's fork server does not fork), so the timeout is wide:
# an input that hangs it stops the campaign, and is reported below like a crash.
timeout --signal=INT $((seconds + 600)) \
  afl-fuzz -i "$corpus" -o "$findings" -t 5000 -m none -G 2048 -V "$seconds" -x "$root/fuzz/softnet.dict" \
  -- dotnet "$afl/Softnet.Fuzz.dll" "$target" >"$work/afl.log" 2>&1 || status=$?

stats="$findings/default/fuzzer_stats"
if [ ! -f "$stats" ]; then
  say "afl-fuzz did not start (exit $status); the end of its log:"
  tail -n 30 "$work/afl.log" >&2
  exit 1
fi
field() { sed -n "s/^$1 *: *//p" "$stats"; }
crashes=("$findings"/default/crashes/id:*)
hangs=("$findings"/default/hangs/id:*)
[ -e "${crashes[0]}" ] || crashes=()
[ -e "${hangs[0]}" ] || hangs=()
echo "target $target: $(field execs_done) execs in $(field run_time)s ($(field execs_per_sec)/s), corpus $(field corpus_count) inputs (from $(find "$corpus" -type f | wc -l) seeds), coverage $(field bitmap_cvg), stability $(field stability), ${#crashes[@]} crashes, ${#hangs[@]} hangs"
if [ "$status" -ne 0 ]; then
  say "afl-fuzz stopped with exit $status; the end of its log:"
  tail -n 20 "$work/afl.log" >&2
fi

for input in "${crashes[@]}" "${hangs[@]}"; do
  echo
  echo "${input#"$root"/} ($(wc -c <"$input") bytes):"
  od -An -v -tx1 "$input" | tr -d ' \n'
  echo
  replayed=0
  replay="$(timeout 60 dotnet "$plain/Softnet.Fuzz.dll" "$target" "$input" 2>&1)" || replayed=$?
  if [ "$replayed" -eq 124 ]; then
    echo "(still running after 60 s when replayed: it hangs)"
  elif [[ "$replay" == *": 0 failed" ]]; then
    echo "(passes when replayed alone: it failed on state that earlier inputs left in the target)"
  else
    echo "$replay" | sed -n '3,$p'
  fi
done
if [ ${#crashes[@]} -gt 0 ] || [ ${#hangs[@]} -gt 0 ]; then
  say "to keep an input as a regression: cp INPUT fuzz/crashes/$target/ (fuzz/crashes/wire is replayed by the wire tests)"
  exit 1
fi
[ "$status" -eq 0 ]
