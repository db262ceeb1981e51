dmarc-lint -v --offline --record 'v=DMARC1; p=none' example.com
