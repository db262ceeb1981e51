dkim-lint --offline --selector s1 --record 'v=DKIM1; k=rsa; h=sha1; p=' example.com
