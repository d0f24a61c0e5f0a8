#!/bin/sh
# How the server is run: by `npm start`, the Docker image and `npm run bench`, so that all
# three measure and ship the same process. Arguments are extra Node.js flags (the benchmark's
# profiler). `exec` makes Node this process: signals and the pid are the server's own.
#
# It runs the server compiled (dist/server: `npm run build`, or npm start's prestart when a
# source is newer), never through tsx, whose loader thread held ~30 MiB of its own. Its
# source maps are on, as they were under tsx: stack traces in the log name src/ lines.
#
# Memory (docs/OPERATIONS.md, "Memory"):
# - V8's heap is capped. Without a cap V8 sizes it from the machine, not the container, and
#   collects lazily: RSS drifted past 300 MiB under load on PostgreSQL.
# - On the embedded database, glibc's malloc gives back to the system every block of 32 KiB or
#   more as soon as it is freed (MALLOC_MMAP_THRESHOLD_). V8 compiles PGlite's WebAssembly
#   while the server runs, in 32 KiB zone segments; by default malloc keeps them in its arenas
#   after the compiler is done, and the embedded server sat at 420–460 MiB on Node 20 and
#   460–530 MiB on Node 24 before its first request (290–350 with this). There is no way to
#   set it from inside Node.js (no mallopt), hence this script. Its price is a mapping per
#   larger block: ~10–20 µs a request for its 64 KiB socket read, ~200–350 µs more CPU for a
#   comment, which writes, on the embedded database. Not paid on a PostgreSQL server, where
#   PGlite is never compiled. A MALLOC_MMAP_THRESHOLD_ already set is kept.
# - V8's young generation: semi-spaces of 8 MiB on PostgreSQL, 4 MiB on the embedded database,
#   where the server also holds PGlite. 4 MiB brought the embedded benchmark's peak RSS from
#   302–326 to 279–294 MiB (three runs each, 2026-12-03) with its reads and comments within
#   the machine's noise.
#
# Which database: the embedded one unless DATABASE_URL is set, or when USE_POSTGRES is
# false / 0 / no, as src/config.ts decides (it rejects any other spelling at start).
set -eu

embedded=yes
if [ -n "$(printf %s "${DATABASE_URL:-}" | tr -d '[:space:]')" ]; then
  case "$(printf %s "${USE_POSTGRES:-}" | tr -d '[:space:]' | tr '[:upper:]' '[:lower:]')" in
    false | 0 | no) ;;
    *) embedded=no ;;
  esac
fi
semi_space=8
if [ "$embedded" = yes ]; then
  semi_space=4
  if [ -z "${MALLOC_MMAP_THRESHOLD_+set}" ]; then
    export MALLOC_MMAP_THRESHOLD_=32768
  fi
fi

# From the package root, as npm runs scripts (a relative DATA_DIR is relative to it).
if [ ! -f dist/server/.built ]; then
  echo "StackAudit is not built: run npm run build (npm start builds it when needed)." >&2
  exit 1
fi
exec node --enable-source-maps --max-old-space-size=192 --max-semi-space-size="$semi_space" "$@" dist/server/main.js serve
