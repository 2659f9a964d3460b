#!/bin/sh
# Container entry point (POSIX sh; PID 1 is tini, which runs this script and forwards signals).
#
# 1. When no configuration is provided (neither TORRUST_TRACKER_CONFIG_TOML nor a file at
#    TORRUST_TRACKER_CONFIG_TOML_PATH), installs the default chosen by
#    TORRUST_TRACKER_CONFIG_OVERRIDE_CORE__DATABASE__DRIVER (sqlite3, the default, or mysql) at
#    that path; when that path cannot be written (a read-only or root-owned mount), the default is
#    read from where the image ships it.
# 2. With SQLite, creates the database directory (TORRUST_TRACKER_CONFIG_OVERRIDE_CORE__DATABASE__PATH's,
#    else /var/lib/torrust/tracker/database).
# 3. Replaces itself with the command (default: node --max-semi-space-size=4 dist/main.js), so the tracker receives
#    SIGTERM from tini directly and drains gracefully.
set -eu

APP_DIR=${TORRUST_TRACKER_APP_DIR:-/app}
DEFAULT_CONFIG_DIR=${TORRUST_TRACKER_DEFAULT_CONFIG_DIR:-$APP_DIR/share/default/config}
CONFIG_PATH=${TORRUST_TRACKER_CONFIG_TOML_PATH:-/etc/torrust/tracker/tracker.toml}
DEFAULT_DATABASE_DIR=${TORRUST_TRACKER_DEFAULT_DATABASE_DIR:-/var/lib/torrust/tracker/database}

log() { printf 'entry.sh: %s\n' "$*" >&2; }

# The override's value as the tracker reads it: optional TOML-style quotes removed.
unquote() {
  case "$1" in
    \"*\") value=${1#\"}; printf '%s' "${value%\"}" ;;
    \'*\') value=${1#\'}; printf '%s' "${value%\'}" ;;
    *) printf '%s' "$1" ;;
  esac
}

driver=$(unquote "${TORRUST_TRACKER_CONFIG_OVERRIDE_CORE__DATABASE__DRIVER:-sqlite3}")
case "$driver" in
  sqlite3) default_config="$DEFAULT_CONFIG_DIR/tracker.container.sqlite3.toml" ;;
  mysql) default_config="$DEFAULT_CONFIG_DIR/tracker.container.mysql.toml" ;;
  *)
    log "TORRUST_TRACKER_CONFIG_OVERRIDE_CORE__DATABASE__DRIVER must be sqlite3 or mysql, not \"$driver\""
    exit 1
    ;;
esac

if [ -n "${TORRUST_TRACKER_CONFIG_TOML:-}" ]; then
  log "configuration from TORRUST_TRACKER_CONFIG_TOML"
elif [ -e "$CONFIG_PATH" ]; then
  log "configuration from $CONFIG_PATH"
else
  if [ ! -r "$default_config" ]; then
    log "default configuration $default_config is missing"
    exit 1
  fi
  if mkdir -p "$(dirname "$CONFIG_PATH")" 2>/dev/null && cp "$default_config" "$CONFIG_PATH" 2>/dev/null; then
    log "no configuration at $CONFIG_PATH: installed the $driver default ($default_config)"
  else
    log "no configuration at $CONFIG_PATH and it cannot be written: using the $driver default $default_config"
    TORRUST_TRACKER_CONFIG_TOML_PATH=$default_config
    export TORRUST_TRACKER_CONFIG_TOML_PATH
  fi
fi

if [ "$driver" = sqlite3 ]; then
  database_path=$(unquote "${TORRUST_TRACKER_CONFIG_OVERRIDE_CORE__DATABASE__PATH:-}")
  case "$database_path" in
    '') database_dir=$DEFAULT_DATABASE_DIR ;;
    :memory: | file:*) database_dir='' ;;
    */*) database_dir=$(dirname "$database_path") ;;
    *) database_dir='' ;;
  esac
  if [ -n "$database_dir" ] && ! mkdir -p "$database_dir" 2>/dev/null; then
    # Not fatal here: the tracker checks the directory itself and explains what is wrong.
    log "cannot create the database directory $database_dir"
  fi
fi

if [ "$#" -eq 0 ]; then
  set -- node --max-semi-space-size=4 dist/main.js
fi
exec "$@"
