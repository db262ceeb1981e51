spf-gen --record 'v=spf1 -all' --null example.com
