nomail-gen
