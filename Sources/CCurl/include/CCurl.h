#ifndef NARRATE_CCURL_H
#define NARRATE_CCURL_H
// libcurl, loaded when a command first sends something (loader.c): linked at start, libcurl and
// the 29 libraries it needs cost every command, `narrate check` included, about 7 ms.
// curl_easy_setopt and curl_easy_getinfo are variadic, which Swift cannot call; the typed
// wrappers below can.
#include <curl/curl.h>

/// Loads libcurl once; NULL when it is there, else why it is not.
const char *narrate_curl_load(void);

CURLcode narrate_curl_global_init(long flags);
CURL *narrate_curl_easy_init(void);
void narrate_curl_easy_cleanup(CURL *h);
void narrate_curl_easy_reset(CURL *h);
const char *narrate_curl_easy_strerror(CURLcode code);
CURLM *narrate_curl_multi_init(void);
CURLMcode narrate_curl_multi_cleanup(CURLM *m);
CURLMcode narrate_curl_multi_add_handle(CURLM *m, CURL *h);
CURLMcode narrate_curl_multi_remove_handle(CURLM *m, CURL *h);
CURLMcode narrate_curl_multi_perform(CURLM *m, int *running);
CURLMcode narrate_curl_multi_poll(CURLM *m, struct curl_waitfd extra[], unsigned int count, int timeout, int *ready);
CURLMcode narrate_curl_multi_wakeup(CURLM *m);
CURLMsg *narrate_curl_multi_info_read(CURLM *m, int *left);
struct curl_slist *narrate_curl_slist_append(struct curl_slist *list, const char *text);
void narrate_curl_slist_free_all(struct curl_slist *list);

CURLcode narrate_curl_setopt_long(CURL *h, CURLoption o, long v);
CURLcode narrate_curl_setopt_off(CURL *h, CURLoption o, curl_off_t v);
CURLcode narrate_curl_setopt_ptr(CURL *h, CURLoption o, const void *v);
CURLcode narrate_curl_setopt_string(CURL *h, CURLoption o, const char *v);
CURLcode narrate_curl_setopt_write(CURL *h, CURLoption o, size_t (*f)(char *, size_t, size_t, void *));
CURLcode narrate_curl_setopt_slist(CURL *h, CURLoption o, struct curl_slist *v);
CURLcode narrate_curl_getinfo_long(CURL *h, CURLINFO i, long *v);
CURLcode narrate_curl_getinfo_off(CURL *h, CURLINFO i, curl_off_t *v);

/// The result of a finished transfer; CURLMsg keeps it in a union.
static inline CURLcode narrate_curl_msg_result(CURLMsg *m) { return m->data.result; }

#endif
