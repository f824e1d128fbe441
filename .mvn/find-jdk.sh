# Sourced (POSIX sh) by ./mvnw, ./starling and .ci/run: exports JAVA_HOME pointing at a JDK >= 21.
# Order: $JAVA_HOME if it is >= 21, else the newest JDK >= 21 under $STARLING_JVM_DIR (default
# /usr/lib/jvm). Stops with a clear message when there is none.
starling_java_major() {
  # Prints the feature version of the JDK at $1 (e.g. 25), or nothing if $1 is not a JDK.
  [ -x "$1/bin/java" ] && [ -x "$1/bin/javac" ] || return 0
  v=""
  if [ -r "$1/release" ]; then
    v=$(sed -n 's/^JAVA_VERSION="\([^"]*\)".*/\1/p' "$1/release" | head -n 1)
  fi
  if [ -z "$v" ]; then
    v=$("$1/bin/java" -version 2>&1 | sed -n 's/.*version "\([^"]*\)".*/\1/p' | head -n 1)
  fi
  case "$v" in 1.*) v=${v#1.} ;; esac
  printf '%s\n' "${v%%[.+-]*}"
}

starling_required_java=21
starling_found=""
if [ -n "${JAVA_HOME-}" ]; then
  m=$(starling_java_major "$JAVA_HOME")
  if [ -n "$m" ] && [ "$m" -ge "$starling_required_java" ] 2>/dev/null; then
    starling_found="$JAVA_HOME"
  fi
fi
if [ -z "$starling_found" ]; then
  jvm_dir="${STARLING_JVM_DIR:-/usr/lib/jvm}"
  best=0
  if [ -d "$jvm_dir" ]; then
    for name in $(ls -1 "$jvm_dir"); do
      cand="$jvm_dir/$name"
      [ -L "$cand" ] && continue
      m=$(starling_java_major "$cand")
      if [ -n "$m" ] && [ "$m" -ge "$starling_required_java" ] 2>/dev/null && [ "$m" -gt "$best" ]; then
        best=$m
        starling_found="$cand"
      fi
    done
  fi
fi
if [ -z "$starling_found" ]; then
  echo "starling: no JDK >= $starling_required_java found." >&2
  echo "  Checked JAVA_HOME (${JAVA_HOME:-unset}) and ${STARLING_JVM_DIR:-/usr/lib/jvm}." >&2
  echo "  Install one (e.g. 'apt-get install openjdk-21-jdk-headless') or set JAVA_HOME to it." >&2
  exit 3
fi
JAVA_HOME="$starling_found"
export JAVA_HOME
PATH="$JAVA_HOME/bin:$PATH"
export PATH
# JDK 24+ warns about sun.misc.Unsafe use inside Maven's own libraries; silence that noise there only.
m=$(starling_java_major "$JAVA_HOME")
if [ "$m" -ge 24 ] 2>/dev/null; then
  case "${MAVEN_OPTS-}" in
    *sun-misc-unsafe-memory-access*) ;;
    *) MAVEN_OPTS="${MAVEN_OPTS-} --sun-misc-unsafe-memory-access=allow"; export MAVEN_OPTS ;;
  esac
fi
