/*
 * fold: the forms that make search forgiving (case, accents, punctuation;
 * a phone number's digits).
 */
#ifndef PATRON_FOLD_H
#define PATRON_FOLD_H

/*
 * The search form of s, freshly allocated: lower case, Latin accents
 * removed (José -> jose, Straße -> strasse), apostrophes dropped, any other
 * punctuation and white space as one space, no leading or trailing space.
 * Other scripts are kept as they are (lower-cased where they have case).
 */
char *fold_text(const char *s);

/* Only the digits of s, freshly allocated. */
char *fold_digits(const char *s);

#endif
