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
#      the exact bytes: printf '%s\\n' "$line" | sha256sum (this script splits the lines
#      into files and hashes those: the same bytes).
#   3. ledger.tsv holds exactly the lines checkpoint.txt covers: its count, and its head =
#      sha256(last line + "\\n"); line 1 belongs to the checkpoint's ledger id.
#   4. With OLD_COUNT OLD_HEAD: the walk over the first OLD_COUNT lines ends at OLD_HEAD.
#   5. Every decision a person signed (a line holding a "statement": approvals, rejections, the
#      two-person rule, enrolments and removals, key revocations): signatures/SEQ.json is the
#      statement exactly as line SEQ holds it, signatures/SEQ.sig is the signature the line holds,
#      people/FINGERPRINT.pub.pem is the key the line names as signer (its DER hashes to that
#      fingerprint), enrolled by a person.enrolled line at or before SEQ and not removed before, and
#        openssl dgst -sha256 -verify people/FP.pub.pem -signature signatures/SEQ.sig signatures/SEQ.json
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

# 2. Walk the chain. Every line is hashed as a file of its own (split -l 1), all of them in a few
#    sha256sum calls, so the time grows with the ledger but not the number of processes; one awk
#    pass then checks each line's seq and prev against the hash of the line before it. A last line
#    without its newline is hashed with one, as printf '%s\\n' "$line" | sha256sum would.
scratch=\${TMPDIR:-/tmp}/ferry-verify.$$
trap 'rm -rf "$scratch"' EXIT
trap 'exit 1' HUP INT TERM
mkdir "$scratch" "$scratch/lines" || stop "could not make the scratch folder $scratch (set TMPDIR to a folder you can write)"
if [ -n "$(tail -c 1 ledger.tsv)" ]; then
  { cat ledger.tsv; echo; } | (cd "$scratch/lines" && split -l 1 -a 8 - l.)
else
  (cd "$scratch/lines" && split -l 1 -a 8 - l.) < ledger.tsv
fi || stop 'ledger.tsv could not be split into lines (is the scratch folder full?)'
: > "$scratch/sums"
if [ -s ledger.tsv ]; then
  (cd "$scratch/lines" && ls | xargs sha256sum) > "$scratch/sums" || stop 'sha256sum failed on the lines of ledger.tsv'
fi
walk=$(awk -F "$TAB" -v zero="$ZERO" -v id="$cp_id" -v old_count="$old_count" -v old_head="$old_head" -v sums="$scratch/sums" '
  function stop(message) { print "FAIL " message; failed = 1; exit 1 }
  BEGIN { prev = zero }
  {
    n = NR
    if (NF < 3) stop("line " n ": not three TAB-separated fields (seq, prev, event)")
    if ($1 != n "") stop("line " n ": its seq field says \\"" $1 "\\", expected " n " (lines were removed, inserted or reordered)")
    if ($2 != prev) {
      if (n == 1) stop("line 1: prev is " $2 ", expected 64 zeros")
      stop("line " n ": prev is " $2 " but sha256(line " (n - 1) " + \\"\\\\n\\") is " prev ": line " (n - 1) " was changed, or lines were removed or reordered")
    }
    if (n == 1 && index($0, "\\"ledgerId\\":\\"" id "\\"") == 0) stop("line 1: does not belong to ledger " id " named in checkpoint.txt")
    if ((getline hashed < sums) <= 0) stop("line " n ": sha256sum gave no hash for it")
    split(hashed, field, " ")
    prev = field[1]
    if (old_count != "" && n == old_count + 0 && prev != old_head) {
      stop("line " n ": the walk over the first " old_count " lines ends at " prev ", not at the older checkpoint'"'"'s head " old_head " (the first " old_count " lines were rewritten)")
    }
  }
  END { if (!failed) print NR " " prev }
' ledger.tsv)
case $walk in
  FAIL*)
    printf '%s\\n' "$walk"
    echo 'NOT OK: this kit does not prove an intact ledger.'
    exit 1
    ;;
esac
[ -n "$walk" ] || stop 'awk gave no result for ledger.tsv'
n=\${walk%% *}
prev=\${walk#* }
old_seen=
if [ -n "$old_count" ] && [ "$n" -ge "$old_count" ]; then
  old_seen=yes
fi

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

# 5. Personal signatures: one awk pass matches each signed line to its files and follows who was
#    enrolled when; then openssl checks each key and signature.
awk -F "$TAB" '
  function stop(message) { print "FAIL " message; exit 1 }
  function field(name,    at, rest) {
    at = index($3, "\\"" name "\\":\\"")
    if (at == 0) return ""
    rest = substr($3, at + length(name) + 4)
    return substr(rest, 1, index(rest, "\\"") - 1)
  }
  index($3, "\\"statement\\":{") {
    seq = $1
    signer = field("signer")
    if (index($3, "\\"type\\":\\"person.enrolled\\"")) enrolled[field("fingerprint")] = 1
    if (!(signer in enrolled)) stop("line " seq ": signed by key " signer ", which no person.enrolled line at or before it enrolled (or which was removed)")
    file = "signatures/" seq ".json"
    if ((getline statement < file) <= 0) stop("line " seq ": " file " is missing")
    close(file)
    at = index($3, "\\"statement\\":" statement)
    after = substr($3, at + 12 + length(statement), 1)
    if (at == 0 || (after != "," && after != "}")) stop("line " seq ": " file " is not the statement the line holds")
    if (index($3, "\\"type\\":\\"person.removed\\"")) delete enrolled[field("fingerprint")]
    print seq, signer, field("signature")
  }
' ledger.tsv > "$scratch/signed" || stop "$(cat "$scratch/signed" | tail -n 1 | sed 's/^FAIL //')"
signatures=0
checked_keys=' '
while read -r seq signer sig; do
  key=people/$signer.pub.pem
  if [ ! -f "$key" ]; then
    fail "line $seq: $key is missing"
    continue
  fi
  # Each key file is checked against its fingerprint once, at its first signed line.
  case "$checked_keys" in
    *" $signer "*) ;;
    *)
      kfp=$(openssl pkey -pubin -in "$key" -outform DER 2>/dev/null | sha256sum)
      if [ "\${kfp%% *}" != "$signer" ]; then
        fail "line $seq: $key is another key (its fingerprint is \${kfp%% *})"
        continue
      fi
      checked_keys="$checked_keys$signer "
      ;;
  esac
  if [ "$(openssl base64 -A -in "signatures/$seq.sig")" != "$sig" ]; then
    fail "line $seq: signatures/$seq.sig is not the signature the line holds"
    continue
  fi
  if ! openssl dgst -sha256 -verify "$key" -signature "signatures/$seq.sig" "signatures/$seq.json" >/dev/null 2>&1; then
    fail "line $seq: the signature by key $signer over its statement does not verify (altered statement or forged signature)"
    continue
  fi
  signatures=$((signatures + 1))
done < "$scratch/signed"

if [ "$failed" -ne 0 ]; then
  echo 'NOT OK: this kit does not prove an intact ledger.'
  exit 1
fi
echo "chain                 $n lines, every seq and prev link checked"
echo "personal signatures   $signatures, each checked with openssl against the signer's enrolled key"
[ -n "$old_count" ] && echo "older checkpoint      the first $old_count lines end at $old_head: the ledger only grew"
echo "count $n"
echo "head $prev"
echo OK
exit 0
`;
