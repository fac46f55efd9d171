#!/bin/sh
# Wires Siren's Asterisk configuration into a stock /etc/asterisk. Idempotent:
# run it at every container start or after every package upgrade.
#
#   AMI_SECRET=... sh /etc/asterisk/siren/siren-setup.sh [/etc/asterisk]
#
# 1. appends  #include "siren/<file>"  to the stock extensions.conf,
#    manager.conf and pjsip.conf (creating them if missing), once;
# 2. writes siren-local/manager-secret.conf ("secret = $AMI_SECRET", mode 0640)
#    when AMI_SECRET is set - the same value Siren gets as AMI_SECRET;
# 3. creates siren-local/ for the site's trunks and agent phones (pjsip.conf).
# It never prints the secret. Then: asterisk -rx "core reload" (or start Asterisk).
set -eu

CONF_DIR=${1:-/etc/asterisk}
LOCAL_DIR="$CONF_DIR/siren-local"

fail() { echo "siren-setup: $*" >&2; exit 1; }

[ -d "$CONF_DIR/siren" ] || fail "$CONF_DIR/siren not found (mount or copy asterisk/ there first)"

# Check the secret before touching anything. Asterisk config values end at ';'
# and are trimmed, so only a plain character set is safe; 16+ characters
# because this login can place calls on the carrier's bill.
if [ -n "${AMI_SECRET:-}" ]; then
  printf '%s' "$AMI_SECRET" | grep -Eq '^[A-Za-z0-9._~+/=@%-]{16,128}$' \
    || fail "AMI_SECRET must be 16-128 characters of A-Z a-z 0-9 . _ ~ + / = @ % -"
fi

add_include() {
  file="$CONF_DIR/$1"
  line="#include \"siren/$1\""
  if [ -f "$file" ] && grep -qF "$line" "$file"; then
    echo "siren-setup: $1 already includes siren/$1"
    return
  fi
  printf '\n; Siren (asterisk/README.md)\n%s\n' "$line" >>"$file"
  echo "siren-setup: added $line to $file"
}

add_include extensions.conf
add_include pjsip.conf
# manager.conf: Siren's file ADDS to [general] with [general](+); without a
# [general] in the stock file Asterisk would refuse the whole manager.conf.
if [ ! -f "$CONF_DIR/manager.conf" ] || ! grep -q '^\[general\]' "$CONF_DIR/manager.conf"; then
  printf '[general]\nenabled = yes\n' >>"$CONF_DIR/manager.conf"
  echo "siren-setup: manager.conf had no [general]; added one"
fi
add_include manager.conf

mkdir -p "$LOCAL_DIR"
chmod 0750 "$LOCAL_DIR"

if [ -n "${AMI_SECRET:-}" ]; then
  umask 027
  printf 'secret = %s\n' "$AMI_SECRET" >"$LOCAL_DIR/manager-secret.conf.tmp"
  mv "$LOCAL_DIR/manager-secret.conf.tmp" "$LOCAL_DIR/manager-secret.conf"
  echo "siren-setup: wrote $LOCAL_DIR/manager-secret.conf"
elif [ ! -f "$LOCAL_DIR/manager-secret.conf" ]; then
  echo "siren-setup: WARNING AMI_SECRET not set and no $LOCAL_DIR/manager-secret.conf: the siren AMI user cannot log in" >&2
fi

if id asterisk >/dev/null 2>&1; then
  chown -R asterisk:asterisk "$LOCAL_DIR" 2>/dev/null || true
fi
