/**
 * The auditor kit's VERIFY.sh, written byte for byte into the kit. POSIX sh (tested with dash),
 * sha256sum, openssl, and POSIX tools only. See the script's own header for what it checks.
 */
export const VERIFY_SH = `#!/bin/sh
# VERIFY.sh: checks a Ferry auditor's kit with standard tools only (POSIX sh, sha256sum, openssl).
#
#   sh VERIFY.sh                         check this kit
#   sh VERIFY.sh OLD_COUNT OLD_HEAD      also check that the ledger only grew since an older
#                                        checkpoint (count, head) you kept, e.g. from a paper form
#
# What it checks:
#   1. checkpoint.sig is a valid signature by site.pub.pem over the bytes of checkpoint.txt:
#        openssl dgst -sha256 -verify site.pub.pem -signature checkpoint.sig checkpoint.txt
#      Compare the printed key fingerprint (sha256 of the public key's DER) with the one you
#      hold for this site; a kit signed by another key proves nothing.
#   2. ledger.tsv, one line per ledger entry: "seq TAB prev TAB event-JSON". Line n must say
#      seq n, and its prev must be sha256(line n-1 + "\\n") (64 zeros for line 1), hashed over
#      the exact bytes: printf '%s\\n' "$line" | sha256sum.
#   3. ledger.tsv holds exactly the lines checkpoint.txt covers: its count, and its head =
#      sha256(last line + "\\n"); line 1 belongs to the checkpoint's ledger id.
#   4. With OLD_COUNT OLD_HEAD: the walk over the first OLD_COUNT lines ends at OLD_HEAD.
# Prints the count and head and "OK" (exit 0), or what failed (exit 1).
# The walk stops at the first break: nothing after it is proven.

LC_ALL=C
export LC_ALL
cd "$(dirname "$0")" || exit 1

TAB=$(printf '\\t')
ZERO=0000000000000000000000000000000000000000000000000000000000000000
failed=0

fail() {
  printf 'FAIL %s\\n' "$*"
  failed=1
}

stop() {
  printf 'FAIL %s\\n' "$*"
  echo 'NOT OK: this kit does not prove an intact ledger.'
  exit 1
}

is_count() {
  case $1 in '' | 0* | *[!0-9]*) return 1 ;; esac
  return 0
}

is_hex64() {
  case $1 in *[!0-9a-f]*) return 1 ;; esac
  [ \${#1} -eq 64 ]
}

old_count=
old_head=
if [ $# -ne 0 ]; then
  [ $# -eq 2 ] || { echo 'usage: sh VERIFY.sh [OLD_COUNT OLD_HEAD]'; exit 2; }
  is_count "$1" || { echo "usage: OLD_COUNT must be a positive whole number, not \\"$1\\""; exit 2; }
  is_hex64 "$2" || { echo "usage: OLD_HEAD must be 64 lower-case hex digits, not \\"$2\\""; exit 2; }
  old_count=$1
  old_head=$2
fi

for f in ledger.tsv checkpoint.txt checkpoint.sig site.pub.pem; do
  [ -f "$f" ] || stop "$f is missing"
done

# 1. The checkpoint and its signature.
if openssl dgst -sha256 -verify site.pub.pem -signature checkpoint.sig checkpoint.txt >/dev/null 2>&1; then
  echo 'checkpoint signature  OK (openssl dgst -sha256 -verify site.pub.pem -signature checkpoint.sig checkpoint.txt)'
else
  fail 'checkpoint.sig is not a valid signature by site.pub.pem over checkpoint.txt (forged or altered checkpoint, or another key)'
fi
fp=$(openssl pkey -pubin -in site.pub.pem -outform DER 2>/dev/null | sha256sum)
echo "site key fingerprint  \${fp%% *}"

cp_lines=$(wc -l < checkpoint.txt | tr -d ' ')
[ "$cp_lines" = 5 ] || stop "checkpoint.txt has $cp_lines lines, not 5"
{
  IFS= read -r cp_header
  IFS= read -r cp_id
  IFS= read -r cp_count
  IFS= read -r cp_head
  IFS= read -r cp_time
} < checkpoint.txt
[ "$cp_header" = 'ferry-ledger-checkpoint v1' ] || stop "checkpoint.txt line 1 is \\"$cp_header\\", not \\"ferry-ledger-checkpoint v1\\""
is_count "$cp_count" || stop "checkpoint.txt line 3 (count) is \\"$cp_count\\", not a positive whole number"
is_hex64 "$cp_head" || stop "checkpoint.txt line 4 (head) is \\"$cp_head\\", not 64 lower-case hex digits"
echo "checkpoint            ledger $cp_id, $cp_count lines, head $cp_head, made $cp_time"

# 2. Walk the chain: one sha256sum per line, each line read once.
n=0
prev=$ZERO
old_seen=
while IFS= read -r line || [ -n "$line" ]; do
  n=$((n + 1))
  seq=\${line%%"$TAB"*}
  rest=\${line#*"$TAB"}
  lprev=\${rest%%"$TAB"*}
  if [ "$seq" = "$line" ] || [ "$lprev" = "$rest" ]; then
    stop "line $n: not three TAB-separated fields (seq, prev, event)"
  fi
  if [ "$seq" != "$n" ]; then
    stop "line $n: its seq field says \\"$seq\\", expected $n (lines were removed, inserted or reordered)"
  fi
  if [ "$lprev" != "$prev" ]; then
    if [ "$n" -eq 1 ]; then
      stop "line 1: prev is $lprev, expected 64 zeros"
    fi
    stop "line $n: prev is $lprev but sha256(line $((n - 1)) + \\"\\\\n\\") is $prev: line $((n - 1)) was changed, or lines were removed or reordered"
  fi
  if [ "$n" -eq 1 ]; then
    case $line in
      *"\\"ledgerId\\":\\"$cp_id\\""*) ;;
      *) stop "line 1: does not belong to ledger $cp_id named in checkpoint.txt" ;;
    esac
  fi
  h=$(printf '%s\\n' "$line" | sha256sum)
  prev=\${h%% *}
  if [ "$n" = "$old_count" ]; then
    if [ "$prev" = "$old_head" ]; then
      old_seen=yes
    else
      stop "line $n: the walk over the first $old_count lines ends at $prev, not at the older checkpoint's head $old_head (the first $old_count lines were rewritten)"
    fi
  fi
  line=
done < ledger.tsv

# 3. The walk against this kit's checkpoint.
if [ "$n" -lt "$cp_count" ]; then
  stop "line $((n + 1)): ledger.tsv ends after $n lines but checkpoint.txt covers $cp_count (lines $((n + 1))-$cp_count were removed)"
fi
if [ "$n" -gt "$cp_count" ]; then
  stop "line $((cp_count + 1)): ledger.tsv has $n lines but checkpoint.txt covers only $cp_count (lines $((cp_count + 1))-$n are not covered by the signature)"
fi
if [ "$prev" != "$cp_head" ]; then
  stop "line $n: sha256(line $n + \\"\\\\n\\") is $prev but checkpoint.txt's head is $cp_head (line $n was changed)"
fi

# 4. The older checkpoint, when given.
if [ -n "$old_count" ] && [ -z "$old_seen" ]; then
  stop "line $((n + 1)): ledger.tsv has $n lines but the older checkpoint covers $old_count (lines were removed: the ledger did not only grow)"
fi

if [ "$failed" -ne 0 ]; then
  echo 'NOT OK: this kit does not prove an intact ledger.'
  exit 1
fi
echo "chain                 $n lines, every seq and prev link checked"
[ -n "$old_count" ] && echo "older checkpoint      the first $old_count lines end at $old_head: the ledger only grew"
echo "count $n"
echo "head $prev"
echo OK
exit 0
`;
