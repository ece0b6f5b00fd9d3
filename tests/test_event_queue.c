/* Unit tests of the coverage event queue: events pop in (time, insertion) order whatever the
 * order of pushes; equal times pop in insertion order; long random mixes of pushes and pops
 * agree event for event with a plain sorted array; growth, clear, peek and the empty and
 * invalid cases. Random numbers come from a fixed-seed 64-bit LCG, so every run is the same. */
#include "testutil.h"

#include "carecast/event_queue.h"

/* Knuth's MMIX LCG; the high bits are the good ones. */
static uint64_t lcg_next(uint64_t *state)
{
    *state = *state * 6364136223846793005ULL + 1442695040888963407ULL;
    return *state >> 33;
}

static cc_event make_event(double time, int call)
{
    return (cc_event){.time = time, .kind = call % 7, .patient = call * 3, .doctor = -call, .call = call};
}

static void assert_events_equal(const cc_event *a, const cc_event *b)
{
    assert_true(a->time == b->time);
    assert_int_equal(a->seq, b->seq);
    assert_int_equal(a->kind, b->kind);
    assert_int_equal(a->patient, b->patient);
    assert_int_equal(a->doctor, b->doctor);
    assert_int_equal(a->call, b->call);
}

static void test_free_is_safe_on_zeroed_and_failed_queues(void **state)
{
    (void)state;
    cc_event_queue q;
    memset(&q, 0, sizeof q);
    cc_event_queue_free(&q);
    assert_int_equal(cc_event_queue_init(&q, 0), CC_ERR_USAGE);
    assert_null(q.heap);
    cc_event_queue_free(&q);
    assert_int_equal(cc_event_queue_init(&q, SIZE_MAX), CC_ERR_USAGE);
    cc_event_queue_free(&q);
    cc_event_queue_free(&q); /* twice */
}

static void test_empty_queue_reports_empty(void **state)
{
    (void)state;
    cc_event_queue q;
    assert_int_equal(cc_event_queue_init(&q, 4), 0);
    cc_event ev = make_event(-5, 99);
    assert_int_equal(cc_event_queue_size(&q), 0);
    assert_int_equal(cc_event_queue_pop(&q, &ev), CC_EVENT_QUEUE_EMPTY);
    assert_int_equal(cc_event_queue_peek(&q, &ev), CC_EVENT_QUEUE_EMPTY);
    assert_int_equal(ev.call, 99); /* untouched */
    cc_event_queue_free(&q);
}

static void test_push_rejects_nan_and_uninitialised_queue(void **state)
{
    (void)state;
    cc_event_queue q;
    memset(&q, 0, sizeof q);
    cc_event ev = make_event(1, 1);
    assert_int_equal(cc_event_queue_push(&q, &ev), CC_ERR_USAGE);
    assert_int_equal(cc_event_queue_init(&q, 2), 0);
    ev.time = NAN;
    assert_int_equal(cc_event_queue_push(&q, &ev), CC_ERR_USAGE);
    assert_int_equal(cc_event_queue_size(&q), 0);
    ev.time = INFINITY; /* "never" is a valid time */
    assert_int_equal(cc_event_queue_push(&q, &ev), 0);
    ev.time = -1;
    assert_int_equal(cc_event_queue_push(&q, &ev), 0);
    assert_int_equal(cc_event_queue_pop(&q, &ev), 0);
    assert_true(ev.time == -1);
    assert_int_equal(cc_event_queue_pop(&q, &ev), 0);
    assert_true(isinf(ev.time));
    cc_event_queue_free(&q);
}

static void test_random_pushes_pop_in_sorted_order(void **state)
{
    (void)state;
    enum { N = 20000 };
    uint64_t rng = 12345;
    cc_event_queue q;
    assert_int_equal(cc_event_queue_init(&q, N), 0);
    for (int i = 0; i < N; i++) {
        cc_event ev = make_event((double)lcg_next(&rng) / 4096.0, i);
        assert_int_equal(cc_event_queue_push(&q, &ev), 0);
    }
    assert_int_equal(cc_event_queue_size(&q), N);
    cc_event prev, ev;
    assert_int_equal(cc_event_queue_pop(&q, &prev), 0);
    for (int i = 1; i < N; i++) {
        assert_int_equal(cc_event_queue_pop(&q, &ev), 0);
        assert_true(prev.time < ev.time || (prev.time == ev.time && prev.seq < ev.seq));
        assert_int_equal(ev.seq, (uint64_t)ev.call); /* seq = push order; payload kept */
        assert_int_equal(ev.patient, 3 * ev.call);
        prev = ev;
    }
    assert_int_equal(cc_event_queue_size(&q), 0);
    cc_event_queue_free(&q);
}

/* Many equal times pushed in a scrambled order of times: each time's events come out in the
 * order they were pushed. */
static void test_equal_times_pop_in_insertion_order(void **state)
{
    (void)state;
    enum { N = 3000, TIMES = 5 };
    uint64_t rng = 777;
    cc_event_queue q;
    assert_int_equal(cc_event_queue_init(&q, 8), 0);
    for (int i = 0; i < N; i++) {
        cc_event ev = make_event((double)(lcg_next(&rng) % TIMES), i);
        assert_int_equal(cc_event_queue_push(&q, &ev), 0);
    }
    int last_call[TIMES];
    for (int t = 0; t < TIMES; t++)
        last_call[t] = -1;
    double last_time = -1;
    cc_event ev;
    while (cc_event_queue_pop(&q, &ev) == 0) {
        int t = (int)ev.time;
        assert_true(ev.time >= last_time);
        assert_true(ev.call > last_call[t]);
        last_call[t] = ev.call;
        last_time = ev.time;
    }
    cc_event_queue_free(&q);
}

/* The reference: an array kept sorted by (time, seq); pop takes the front. */
typedef struct {
    cc_event *events;
    size_t size;
} sorted_array;

static void reference_insert(sorted_array *ref, const cc_event *ev)
{
    size_t i = ref->size;
    while (i > 0 && (ref->events[i - 1].time > ev->time ||
                     (ref->events[i - 1].time == ev->time && ref->events[i - 1].seq > ev->seq))) {
        ref->events[i] = ref->events[i - 1];
        i--;
    }
    ref->events[i] = *ev;
    ref->size++;
}

static cc_event reference_pop(sorted_array *ref)
{
    cc_event front = ref->events[0];
    memmove(ref->events, ref->events + 1, (ref->size - 1) * sizeof *ref->events);
    ref->size--;
    return front;
}

/* One random operation: a push (times drawn from few values, so ties are common, and never
 * before the last popped time, as in a simulation) or a pop; both compared with the reference.
 * The first FILL operations push, so the heap is deep; then pushes and pops are even. */
enum { FILL = 1000 };
static void random_operation(cc_event_queue *q, sorted_array *ref, uint64_t *rng, int i, double *now)
{
    int push = ref->size == 0 || i < FILL || lcg_next(rng) % 2 == 0;
    if (push) {
        cc_event ev = make_event(*now + (double)(lcg_next(rng) % 50) / 2.0, i);
        ev.seq = q->next_seq;
        assert_int_equal(cc_event_queue_push(q, &ev), 0);
        reference_insert(ref, &ev);
    } else {
        cc_event got, peeked, want = reference_pop(ref);
        assert_int_equal(cc_event_queue_peek(q, &peeked), 0);
        assert_int_equal(cc_event_queue_pop(q, &got), 0);
        assert_events_equal(&peeked, &want);
        assert_events_equal(&got, &want);
        *now = got.time;
    }
    assert_int_equal(cc_event_queue_size(q), ref->size);
}

static void test_interleaved_operations_match_sorted_reference(void **state)
{
    (void)state;
    enum { OPS = 100000 };
    uint64_t rng = 2025;
    sorted_array ref = {calloc(OPS, sizeof(cc_event)), 0};
    assert_non_null(ref.events);
    cc_event_queue q;
    assert_int_equal(cc_event_queue_init(&q, 16), 0);
    double now = 0;
    for (int i = 0; i < OPS; i++)
        random_operation(&q, &ref, &rng, i, &now);
    while (ref.size > 0) {
        cc_event got, want = reference_pop(&ref);
        assert_int_equal(cc_event_queue_pop(&q, &got), 0);
        assert_events_equal(&got, &want);
    }
    assert_int_equal(cc_event_queue_size(&q), 0);
    cc_event_queue_free(&q);
    free(ref.events);
}

static void test_grows_by_doubling(void **state)
{
    (void)state;
    cc_event_queue q;
    assert_int_equal(cc_event_queue_init(&q, 1), 0);
    assert_int_equal(q.capacity, 1);
    for (int i = 0; i < 1000; i++) {
        cc_event ev = make_event(1000 - i, i);
        assert_int_equal(cc_event_queue_push(&q, &ev), 0);
    }
    assert_int_equal(q.capacity, 1024);
    cc_event ev;
    for (int i = 999; i >= 0; i--) {
        assert_int_equal(cc_event_queue_pop(&q, &ev), 0);
        assert_int_equal(ev.call, i);
    }
    cc_event_queue_free(&q);
}

/* clear empties the queue, keeps its storage and restarts the sequence numbers, so a reused
 * queue behaves as a new one (the next replication sees no trace of the previous). */
static void test_clear_keeps_storage_and_restarts_sequence(void **state)
{
    (void)state;
    cc_event_queue q;
    assert_int_equal(cc_event_queue_init(&q, 4), 0);
    for (int i = 0; i < 10; i++) {
        cc_event ev = make_event(i, i);
        assert_int_equal(cc_event_queue_push(&q, &ev), 0);
    }
    cc_event *storage = q.heap;
    size_t capacity = q.capacity;
    cc_event_queue_clear(&q);
    assert_int_equal(cc_event_queue_size(&q), 0);
    assert_ptr_equal(q.heap, storage);
    assert_int_equal(q.capacity, capacity);
    cc_event ev = make_event(3, 42);
    assert_int_equal(cc_event_queue_push(&q, &ev), 0);
    assert_int_equal(cc_event_queue_pop(&q, &ev), 0);
    assert_int_equal(ev.seq, 0);
    assert_int_equal(ev.call, 42);
    cc_event_queue_free(&q);
    assert_null(q.heap);
    assert_int_equal(q.capacity, 0);
}

int main(int argc, char **argv)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_free_is_safe_on_zeroed_and_failed_queues),
        cmocka_unit_test(test_empty_queue_reports_empty),
        cmocka_unit_test(test_push_rejects_nan_and_uninitialised_queue),
        cmocka_unit_test(test_random_pushes_pop_in_sorted_order),
        cmocka_unit_test(test_equal_times_pop_in_insertion_order),
        cmocka_unit_test(test_interleaved_operations_match_sorted_reference),
        cmocka_unit_test(test_grows_by_doubling),
        cmocka_unit_test(test_clear_keeps_storage_and_restarts_sequence),
    };
    return TU_RUN_TESTS(tests, argc, argv);
}
