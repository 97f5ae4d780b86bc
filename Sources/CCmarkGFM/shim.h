#ifndef NARRATE_CCMARKGFM_SHIM_H
#define NARRATE_CCMARKGFM_SHIM_H
// The headers live in /usr/include; do not add /usr/include/cmark-gfm (its generic names shadow others).
#include <cmark-gfm.h>
#include <cmark-gfm-core-extensions.h>
#endif
