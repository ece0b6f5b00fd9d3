/* The event queue of the coverage simulation: a binary min-heap of events ordered by time,
 * ties broken by insertion order (a sequence number given at push), so the order in which
 * events come out depends only on their times and the order they were pushed, never on the
 * heap's internals. Storage is allocated once at init; a push into a full queue doubles it
 * (one realloc; size the queue at init and the event loop never allocates). The queue reports
 * by return code only (no error record): it sits inside the event loop. */
#ifndef CARECAST_EVENT_QUEUE_H
#define CARECAST_EVENT_QUEUE_H

#include <stddef.h>
#include <stdint.h>

#include "carecast/error.h"

/* cc_event_queue_pop's and cc_event_queue_peek's outcome when the queue is empty. */
#define CC_EVENT_QUEUE_EMPTY 1

/* One event. The payload's meaning is the simulation's (kind says which fields apply). */
typedef struct {
    double time;     /* minutes since the start of the simulated year */
    uint64_t seq;    /* set by push: the number of pushes before this one since init/clear */
    int kind;
    int patient, doctor, call;
} cc_event;

typedef struct {
    cc_event *heap;  /* heap[0] is the earliest; children of i at 2i+1, 2i+2 */
    size_t size, capacity;
    uint64_t next_seq;
} cc_event_queue;

/* Zero q, then allocate room for `capacity` events (at least 1). Returns 0, CC_ERR_NOMEM, or
 * CC_ERR_USAGE for a capacity of 0 or one too large to allocate; after a failure q is zeroed,
 * so cc_event_queue_free is always safe. */
int cc_event_queue_init(cc_event_queue *q, size_t capacity);

/* Release the storage and zero q; safe on a zeroed or already freed queue. */
void cc_event_queue_free(cc_event_queue *q);

/* Copy *event in (its seq is overwritten with the next sequence number). Returns 0;
 * CC_ERR_USAGE for a NaN time or an uninitialised queue; CC_ERR_NOMEM when the queue is full
 * and doubling it fails (the queue is then unchanged). */
int cc_event_queue_push(cc_event_queue *q, const cc_event *event);

/* Remove the earliest event (of equal times, the first pushed) into *event. Returns 0, or
 * CC_EVENT_QUEUE_EMPTY (event untouched). */
int cc_event_queue_pop(cc_event_queue *q, cc_event *event);

/* Copy the event pop would return, leaving it in the queue. 0 or CC_EVENT_QUEUE_EMPTY. */
int cc_event_queue_peek(const cc_event_queue *q, cc_event *event);

/* Number of events queued. */
size_t cc_event_queue_size(const cc_event_queue *q);

/* Empty the queue and restart the sequence numbers; the storage is kept for reuse (e.g. by
 * the next replication). */
void cc_event_queue_clear(cc_event_queue *q);

#endif
