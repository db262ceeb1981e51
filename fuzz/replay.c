/* Replays fuzz corpora without libFuzzer: each file given, or each file in
 * each directory given, goes through the target once, one TAP line each.
 * A crash kills the run, which the test runner reports as a failure. */
#include <dirent.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static unsigned n;

static void
replay(const char *path)
{
	FILE *fp = fopen(path, "rb");
	uint8_t *buf = NULL;
	long len;

	if (fp == NULL || fseek(fp, 0, SEEK_END) != 0 || (len = ftell(fp)) < 0 ||
	    fseek(fp, 0, SEEK_SET) != 0 ||
	    (buf = malloc((size_t)len + 1)) == NULL ||
	    fread(buf, 1, (size_t)len, fp) != (size_t)len) {
		printf("not ok %u - cannot read %s\n", ++n, path);
	} else {
		LLVMFuzzerTestOneInput(buf, (size_t)len);
		printf("ok %u - %s\n", ++n, path);
	}
	free(buf);
	if (fp)
		fclose(fp);
}

int
main(int argc, char **argv)
{
	for (int i = 1; i < argc; i++) {
		struct stat st;
		struct dirent **ents;
		int k;

		if (stat(argv[i], &st) != 0 || !S_ISDIR(st.st_mode)) {
			replay(argv[i]);
			continue;
		}
		if ((k = scandir(argv[i], &ents, NULL, alphasort)) < 0)
			continue;
		for (int j = 0; j < k; j++) {
			char path[4096];

			if (ents[j]->d_name[0] != '.') {
				snprintf(path, sizeof(path), "%s/%s", argv[i],
				    ents[j]->d_name);
				replay(path);
			}
			free(ents[j]);
		}
		free(ents);
	}
	printf("1..%u\n", n);
	return 0;
}
