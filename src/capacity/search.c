/* The smallest size meeting a criterion, by bisection, with checks of what was visited
 * (include/carecast/capacity.h). Bisection alone can only visit sizes that agree with a
 * monotone criterion, so the checks add what it cannot see: one size above the answer, and
 * the answer's neighbour below if the bisection did not visit it. */
#include <stdlib.h>
#include <string.h>

#include "carecast/capacity.h"

/* The outcome of size (evaluated once: later calls read what was visited). */
static int evaluate(int size, cc_capacity_criterion criterion, void *user, cc_search_result *r)
{
    for (int i = 0; i < r->nvisited; i++)
        if (r->visited[i] == size)
            return r->outcome[i];
    int ok = criterion(size, user);
    r->evaluations++;
    if (ok < 0)
        return ok;
    ok = ok != 0;
    if (r->nvisited < CC_SEARCH_MAX_VISITS) {
        r->visited[r->nvisited] = size;
        r->outcome[r->nvisited++] = ok;
    }
    return ok;
}

/* Every visited holding size above every visited failing one. */
static int consistent(const cc_search_result *r)
{
    for (int i = 0; i < r->nvisited; i++)
        for (int j = 0; j < r->nvisited; j++)
            if (r->outcome[i] && !r->outcome[j] && r->visited[i] < r->visited[j])
                return 0;
    return 1;
}

int cc_capacity_search(int lo, int hi, cc_capacity_criterion criterion, void *user, cc_search_result *r)
{
    memset(r, 0, sizeof *r);
    r->size = -1;
    if (lo > hi) {
        r->status = CC_SEARCH_ERROR;
        return r->error = CC_ERR_USAGE;
    }
#define EVAL(at_size, into)                                         \
    do {                                                         \
        int v_ = evaluate((at_size), criterion, user, r);           \
        if (v_ < 0) {                                            \
            r->status = CC_SEARCH_ERROR;                         \
            r->size = -1;                                        \
            return r->error = v_;                                \
        }                                                        \
        (into) = v_;                                             \
    } while (0)
    int ok;
    EVAL(hi, ok);
    if (!ok) {
        r->status = CC_SEARCH_NONE;
        return 0;
    }
    int fail = lo - 1, pass = hi; /* fail: a failing size (lo - 1: none visited), pass: a holding one */
    EVAL(lo, ok);
    if (ok)
        pass = lo;
    else
        fail = lo;
    while (pass - fail > 1) {
        int mid = fail + (pass - fail) / 2;
        EVAL(mid, ok);
        if (ok)
            pass = mid;
        else
            fail = mid;
    }
    /* the checks: holds at the answer, fails at one fewer, holds at one more */
    int at, below = 0, above = 1;
    EVAL(pass, at);
    if (pass > lo)
        EVAL(pass - 1, below);
    if (pass < hi)
        EVAL(pass + 1, above);
    if (!at || below || !above || !consistent(r)) {
        r->status = CC_SEARCH_NOT_MONOTONE;
        return 0;
    }
    r->status = CC_SEARCH_FOUND;
    r->size = pass;
    return 0;
#undef EVAL
}
