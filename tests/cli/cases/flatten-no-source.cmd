spf-flatten example.com
