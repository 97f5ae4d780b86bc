// Loads libcurl on first use and calls it through the pointers dlsym gives (see CCurl.h).
#include <dlfcn.h>
#include <pthread.h>
#include <stdio.h>
#include "CCurl.h"

static struct {
    const char *problem;
    CURLcode (*global_init)(long);
    CURL *(*easy_init)(void);
    void (*easy_cleanup)(CURL *);
    void (*easy_reset)(CURL *);
    const char *(*easy_strerror)(CURLcode);
    CURLcode (*easy_setopt)(CURL *, CURLoption, ...);
    CURLcode (*easy_getinfo)(CURL *, CURLINFO, ...);
    CURLM *(*multi_init)(void);
    CURLMcode (*multi_cleanup)(CURLM *);
    CURLMcode (*multi_add_handle)(CURLM *, CURL *);
    CURLMcode (*multi_remove_handle)(CURLM *, CURL *);
    CURLMcode (*multi_perform)(CURLM *, int *);
    CURLMcode (*multi_poll)(CURLM *, struct curl_waitfd[], unsigned int, int, int *);
    CURLMcode (*multi_wakeup)(CURLM *);
    CURLMsg *(*multi_info_read)(CURLM *, int *);
    struct curl_slist *(*slist_append)(struct curl_slist *, const char *);
    void (*slist_free_all)(struct curl_slist *);
} curl;

static pthread_once_t once = PTHREAD_ONCE_INIT;
static char problem[512];

static void *resolve(void *library, const char *name) {
    void *symbol = dlsym(library, name);
    if (!symbol && !curl.problem) {
        snprintf(problem, sizeof problem, "libcurl.so.4 has no %s", name);
        curl.problem = problem;
    }
    return symbol;
}

static void load(void) {
    void *library = dlopen("libcurl.so.4", RTLD_NOW | RTLD_LOCAL);
    if (!library) {
        const char *error = dlerror();
        snprintf(problem, sizeof problem, "%s", error ? error : "libcurl.so.4 cannot be loaded");
        curl.problem = problem;
        return;
    }
    curl.global_init = resolve(library, "curl_global_init");
    curl.easy_init = resolve(library, "curl_easy_init");
    curl.easy_cleanup = resolve(library, "curl_easy_cleanup");
    curl.easy_reset = resolve(library, "curl_easy_reset");
    curl.easy_strerror = resolve(library, "curl_easy_strerror");
    curl.easy_setopt = resolve(library, "curl_easy_setopt");
    curl.easy_getinfo = resolve(library, "curl_easy_getinfo");
    curl.multi_init = resolve(library, "curl_multi_init");
    curl.multi_cleanup = resolve(library, "curl_multi_cleanup");
    curl.multi_add_handle = resolve(library, "curl_multi_add_handle");
    curl.multi_remove_handle = resolve(library, "curl_multi_remove_handle");
    curl.multi_perform = resolve(library, "curl_multi_perform");
    curl.multi_poll = resolve(library, "curl_multi_poll");
    curl.multi_wakeup = resolve(library, "curl_multi_wakeup");
    curl.multi_info_read = resolve(library, "curl_multi_info_read");
    curl.slist_append = resolve(library, "curl_slist_append");
    curl.slist_free_all = resolve(library, "curl_slist_free_all");
}

const char *narrate_curl_load(void) {
    pthread_once(&once, load);
    return curl.problem;
}

// Without libcurl every call fails as libcurl fails on a bad handle; CurlTransport does not get
// that far (it reports narrate_curl_load's problem first).
#define LOADED (narrate_curl_load() == NULL)

CURLcode narrate_curl_global_init(long flags) { return LOADED ? curl.global_init(flags) : CURLE_FAILED_INIT; }
CURL *narrate_curl_easy_init(void) { return LOADED ? curl.easy_init() : NULL; }
void narrate_curl_easy_cleanup(CURL *h) { if (LOADED) curl.easy_cleanup(h); }
void narrate_curl_easy_reset(CURL *h) { if (LOADED) curl.easy_reset(h); }
const char *narrate_curl_easy_strerror(CURLcode code) { return LOADED ? curl.easy_strerror(code) : "libcurl is not loaded"; }
CURLM *narrate_curl_multi_init(void) { return LOADED ? curl.multi_init() : NULL; }
CURLMcode narrate_curl_multi_cleanup(CURLM *m) { return LOADED ? curl.multi_cleanup(m) : CURLM_BAD_HANDLE; }
CURLMcode narrate_curl_multi_add_handle(CURLM *m, CURL *h) { return LOADED ? curl.multi_add_handle(m, h) : CURLM_BAD_HANDLE; }
CURLMcode narrate_curl_multi_remove_handle(CURLM *m, CURL *h) { return LOADED ? curl.multi_remove_handle(m, h) : CURLM_BAD_HANDLE; }
CURLMcode narrate_curl_multi_perform(CURLM *m, int *running) { return LOADED ? curl.multi_perform(m, running) : CURLM_BAD_HANDLE; }
CURLMcode narrate_curl_multi_poll(CURLM *m, struct curl_waitfd extra[], unsigned int count, int timeout, int *ready) {
    return LOADED ? curl.multi_poll(m, extra, count, timeout, ready) : CURLM_BAD_HANDLE;
}
CURLMcode narrate_curl_multi_wakeup(CURLM *m) { return LOADED ? curl.multi_wakeup(m) : CURLM_BAD_HANDLE; }
CURLMsg *narrate_curl_multi_info_read(CURLM *m, int *left) { return LOADED ? curl.multi_info_read(m, left) : NULL; }
struct curl_slist *narrate_curl_slist_append(struct curl_slist *list, const char *text) {
    return LOADED ? curl.slist_append(list, text) : NULL;
}
void narrate_curl_slist_free_all(struct curl_slist *list) { if (LOADED) curl.slist_free_all(list); }

CURLcode narrate_curl_setopt_long(CURL *h, CURLoption o, long v) { return LOADED ? curl.easy_setopt(h, o, v) : CURLE_FAILED_INIT; }
CURLcode narrate_curl_setopt_off(CURL *h, CURLoption o, curl_off_t v) { return LOADED ? curl.easy_setopt(h, o, v) : CURLE_FAILED_INIT; }
CURLcode narrate_curl_setopt_ptr(CURL *h, CURLoption o, const void *v) { return LOADED ? curl.easy_setopt(h, o, v) : CURLE_FAILED_INIT; }
CURLcode narrate_curl_setopt_string(CURL *h, CURLoption o, const char *v) { return LOADED ? curl.easy_setopt(h, o, v) : CURLE_FAILED_INIT; }
CURLcode narrate_curl_setopt_write(CURL *h, CURLoption o, size_t (*f)(char *, size_t, size_t, void *)) {
    return LOADED ? curl.easy_setopt(h, o, f) : CURLE_FAILED_INIT;
}
CURLcode narrate_curl_setopt_slist(CURL *h, CURLoption o, struct curl_slist *v) { return LOADED ? curl.easy_setopt(h, o, v) : CURLE_FAILED_INIT; }
CURLcode narrate_curl_getinfo_long(CURL *h, CURLINFO i, long *v) { return LOADED ? curl.easy_getinfo(h, i, v) : CURLE_FAILED_INIT; }
CURLcode narrate_curl_getinfo_off(CURL *h, CURLINFO i, curl_off_t *v) { return LOADED ? curl.easy_getinfo(h, i, v) : CURLE_FAILED_INIT; }
