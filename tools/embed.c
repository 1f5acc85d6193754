/*
 * embed: turn files into a C source file, so the binary carries them.
 *
 *   embed --string SYMBOL FILE > out.c         a NUL-terminated char array
 *   embed --assets SYMBOL DIR FILE... > out.c  a table of {"/relative/path", bytes, length}
 *   embed --table STRUCT SYMBOL DIR FILE...    the same table, of "struct STRUCT" (no files: empty)
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void bytes(FILE *in, const char *decl)
{
    printf("%s[] = {", decl);
    int c;
    unsigned long n = 0;
    while ((c = fgetc(in)) != EOF)
        printf("%s%d,", n++ % 32 ? "" : "\n", c);
    printf("0};\n");
}

int main(int argc, char **argv)
{
    if (argc == 4 && !strcmp(argv[1], "--string")) {
        FILE *f = fopen(argv[3], "rb");
        if (!f) {
            perror(argv[3]);
            return 1;
        }
        printf("extern const char %s[];\nconst char %s[] =\n\"", argv[2], argv[2]);
        int c;
        while ((c = fgetc(f)) != EOF)
            printf(c == '\n' ? "\\n\"\n\"" : "\\%03o", c);
        printf("\";\n");
        fclose(f);
        return 0;
    }
    const char *type = NULL;
    int first = 0;
    if (argc >= 4 && !strcmp(argv[1], "--assets")) {
        type = "asset";
        first = 2;
    } else if (argc >= 5 && !strcmp(argv[1], "--table")) {
        type = argv[2];
        first = 3;
    }
    if (type) {
        const char *sym = argv[first], *dir = argv[first + 1];
        size_t dl = strlen(dir);
        int files = first + 2;
        printf("struct %s { const char *path; const unsigned char *data; unsigned long len; };\n", type);
        for (int i = files; i < argc; i++) {
            FILE *f = fopen(argv[i], "rb");
            if (!f) {
                perror(argv[i]);
                return 1;
            }
            char decl[48];
            snprintf(decl, sizeof decl, "static const unsigned char a%d", i);
            bytes(f, decl);
            fclose(f);
        }
        printf("extern const struct %s %s[];\nconst struct %s %s[] = {\n", type, sym, type, sym);
        for (int i = files; i < argc; i++) {
            const char *rel = strncmp(argv[i], dir, dl) == 0 ? argv[i] + dl : argv[i];
            FILE *f = fopen(argv[i], "rb");
            fseek(f, 0, SEEK_END);
            long n = ftell(f);
            fclose(f);
            printf("  {\"%s%s\", a%d, %ld},\n", rel[0] == '/' ? "" : "/", rel, i, n);
        }
        printf("  {0, 0, 0}\n};\n");
        return 0;
    }
    fprintf(stderr, "usage: embed --string SYMBOL FILE | --assets SYMBOL DIR FILE... |"
                    " --table STRUCT SYMBOL DIR FILE...\n");
    return 2;
}
