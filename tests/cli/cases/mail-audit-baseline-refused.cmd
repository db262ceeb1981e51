# a baseline that cannot be trusted is refused, never taken for none, and
# left as it was; --dry-run writes nothing; another run's lock is said
Z=$PWD/zones; cd "$(mktemp -d)" || exit 9
A="--offline --zone $Z/watch-a.zone --baseline b.jsonl"
mail-audit $A w.test v.test 2>/dev/null
cp b.jsonl good
head -c 300 good >b.jsonl; cp b.jsonl cut; mail-audit $A w.test; echo "cut short: $? $(cmp -s b.jsonl cut && echo left as it was)"
head -n 2 good >b.jsonl; mail-audit $A w.test; echo "no end line: $?"
sed 's/"pass"/"fail"/' good >b.jsonl; mail-audit $A w.test; echo "edited: $?"
mail-audit --offline --zone "$Z/watch-a.zone" --batch - <<<w.test >b.jsonl 2>/dev/null
mail-audit $A w.test; echo "foreign: $?"
: >b.jsonl; mail-audit $A w.test; echo "empty: $?"
cp good b.jsonl; cat b.jsonl good >twice; mail-audit $A --baseline twice w.test; echo "twice: $?"
mail-audit --offline --zone "$Z/watch-b.zone" --baseline b.jsonl --dry-run w.test v.test >/dev/null
echo "dry run: $? $(cmp -s b.jsonl good && echo nothing written)"
mail-audit --dry-run w.test; echo "dry run alone: $?"
mkfifo fifo; mail-audit $A --baseline fifo --dry-run w.test; echo "a FIFO, refused at once: $?"
flock b.jsonl.lock -c "mail-audit $A w.test; echo \"locked: \$?\""
cmp -s b.jsonl good && echo "left as it was"
cd / && rm -rf "$OLDPWD"
