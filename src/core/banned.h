/* banned.h - unsafe libc functions are compile errors (after git's banned.h).
 * Included last by core.h so every module sees it. */
#ifndef PG_BANNED_H
#define PG_BANNED_H

#define PG_BANNED(func) sorry_##func##_is_a_banned_function

#undef strcpy
#define strcpy(x, y) PG_BANNED(strcpy)
#undef strcat
#define strcat(x, y) PG_BANNED(strcat)
#undef strncpy
#define strncpy(x, y, n) PG_BANNED(strncpy)
#undef sprintf
#define sprintf(...) PG_BANNED(sprintf)
#undef vsprintf
#define vsprintf(...) PG_BANNED(vsprintf)
#undef gets
#define gets(x) PG_BANNED(gets)
#undef atoi
#define atoi(x) PG_BANNED(atoi)
#undef atol
#define atol(x) PG_BANNED(atol)
#undef strtok
#define strtok(x, y) PG_BANNED(strtok)

#endif
