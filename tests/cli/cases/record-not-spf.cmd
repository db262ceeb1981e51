spf-lint --offline --record 'hello world' example.com
