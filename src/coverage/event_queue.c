/* The coverage simulation's event queue: a binary min-heap in one array (see
 * include/carecast/event_queue.h).
 * Invariant: for every i > 0, heap[(i - 1) / 2] comes before heap[i] in the order
 * (time, seq); seq is unique, so the order is total and pops are deterministic.
 * Method: sift-up after a push, sift-down of the last element after a pop (moving a hole,
 * not swapping), O(log n) each. */
#include "carecast/event_queue.h"

#include <stdlib.h>
#include <string.h>

/* a before b: earlier time, or the same time and pushed first. */
static int event_before(const cc_event *a, const cc_event *b)
{
    return a->time < b->time || (a->time == b->time && a->seq < b->seq);
}

int cc_event_queue_init(cc_event_queue *q, size_t capacity)
{
    memset(q, 0, sizeof *q);
    if (capacity == 0 || capacity > SIZE_MAX / sizeof(cc_event))
        return CC_ERR_USAGE;
    q->heap = malloc(capacity * sizeof(cc_event));
    if (!q->heap)
        return CC_ERR_NOMEM;
    q->capacity = capacity;
    return 0;
}

void cc_event_queue_free(cc_event_queue *q)
{
    free(q->heap);
    memset(q, 0, sizeof *q);
}

/* Double the storage; the queue is unchanged on failure. */
static int queue_grow(cc_event_queue *q)
{
    if (q->capacity > SIZE_MAX / 2 / sizeof(cc_event))
        return CC_ERR_NOMEM;
    size_t capacity = 2 * q->capacity;
    cc_event *heap = realloc(q->heap, capacity * sizeof(cc_event));
    if (!heap)
        return CC_ERR_NOMEM;
    q->heap = heap;
    q->capacity = capacity;
    return 0;
}

/* Move the hole at i up until `event` fits there, and put it there. */
static void sift_up(cc_event_queue *q, size_t i, const cc_event *event)
{
    while (i > 0) {
        size_t parent = (i - 1) / 2;
        if (!event_before(event, &q->heap[parent]))
            break;
        q->heap[i] = q->heap[parent];
        i = parent;
    }
    q->heap[i] = *event;
}

/* Move the hole at i down until `event` fits there, and put it there. */
static void sift_down(cc_event_queue *q, size_t i, const cc_event *event)
{
    for (;;) {
        size_t child = 2 * i + 1;
        if (child >= q->size)
            break;
        if (child + 1 < q->size && event_before(&q->heap[child + 1], &q->heap[child]))
            child++;
        if (!event_before(&q->heap[child], event))
            break;
        q->heap[i] = q->heap[child];
        i = child;
    }
    q->heap[i] = *event;
}

int cc_event_queue_push(cc_event_queue *q, const cc_event *event)
{
    if (!q->heap || event->time != event->time) /* NaN would break the order */
        return CC_ERR_USAGE;
    if (q->size == q->capacity) {
        int ret = queue_grow(q);
        if (ret != 0)
            return ret;
    }
    cc_event copy = *event;
    copy.seq = q->next_seq++;
    sift_up(q, q->size++, &copy);
    return 0;
}

int cc_event_queue_pop(cc_event_queue *q, cc_event *event)
{
    if (q->size == 0)
        return CC_EVENT_QUEUE_EMPTY;
    *event = q->heap[0];
    cc_event last = q->heap[--q->size];
    if (q->size > 0)
        sift_down(q, 0, &last);
    return 0;
}

int cc_event_queue_peek(const cc_event_queue *q, cc_event *event)
{
    if (q->size == 0)
        return CC_EVENT_QUEUE_EMPTY;
    *event = q->heap[0];
    return 0;
}

size_t cc_event_queue_size(const cc_event_queue *q)
{
    return q->size;
}

void cc_event_queue_clear(cc_event_queue *q)
{
    q->size = 0;
    q->next_seq = 0;
}
