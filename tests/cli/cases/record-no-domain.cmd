spf-lint --offline --record 'v=spf1 a mx -all'
