dkim-lint --selector "a b" --selector s2 example.com
