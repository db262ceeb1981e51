spf-lint --offline --zone zones/db.example.com --record 'v=spf1 include:_spf.example.com +all' example.com
