# atomic.pxd -- the few atomic operations threads need (GCC/Clang builtins)
#
# Used where driver threads share state: pool remote-free stacks, buffer
# reference counts of clones, ThreadSafeQueue's ring, notifiers that wake
# another thread, a ring block's packet count. Single-threaded runs do not
# reach them on the hot path (PacketPool.threaded gates the pool paths).
from libc.stdint cimport uint32_t

cdef extern from *:
    """
    #define clickpy_atomic_add_u32(p, v) __atomic_add_fetch((p), (v), __ATOMIC_ACQ_REL)
    #define clickpy_atomic_sub_u32(p, v) __atomic_sub_fetch((p), (v), __ATOMIC_ACQ_REL)
    #define clickpy_load_acquire_u32(p) __atomic_load_n((p), __ATOMIC_ACQUIRE)
    #define clickpy_store_release_u32(p, v) __atomic_store_n((p), (v), __ATOMIC_RELEASE)
    #define clickpy_load_acquire_int(p) __atomic_load_n((p), __ATOMIC_ACQUIRE)
    #define clickpy_store_release_int(p, v) __atomic_store_n((p), (v), __ATOMIC_RELEASE)
    #define clickpy_fence() __atomic_thread_fence(__ATOMIC_SEQ_CST)
    #define clickpy_cpu_relax() __builtin_ia32_pause()
    /* lock-free stack of objects linked by their first pointer-sized field
       at `off` bytes: many threads push, the owner takes everything at once
       (an exchange, so no ABA problem) */
    static inline void clickpy_stack_push(void **head, void *first, void *last, size_t off) {
        void *old = __atomic_load_n(head, __ATOMIC_RELAXED);
        do {
            *(void **)((char *)last + off) = old;
        } while (!__atomic_compare_exchange_n(head, &old, first, 1,
                                              __ATOMIC_RELEASE, __ATOMIC_RELAXED));
    }
    static inline void *clickpy_stack_take(void **head) {
        return __atomic_exchange_n(head, (void *)0, __ATOMIC_ACQUIRE);
    }
    static inline int clickpy_trylock(int *lock) {
        return !__atomic_exchange_n(lock, 1, __ATOMIC_ACQUIRE);
    }
    static inline void clickpy_lock(int *lock) {
        while (__atomic_exchange_n(lock, 1, __ATOMIC_ACQUIRE))
            while (__atomic_load_n(lock, __ATOMIC_RELAXED))
                __builtin_ia32_pause();
    }
    static inline void clickpy_unlock(int *lock) {
        __atomic_store_n(lock, 0, __ATOMIC_RELEASE);
    }
    """
    uint32_t atomic_add_u32 "clickpy_atomic_add_u32"(uint32_t *p, uint32_t v) noexcept nogil
    uint32_t atomic_sub_u32 "clickpy_atomic_sub_u32"(uint32_t *p, uint32_t v) noexcept nogil
    uint32_t load_acquire_u32 "clickpy_load_acquire_u32"(uint32_t *p) noexcept nogil
    void store_release_u32 "clickpy_store_release_u32"(uint32_t *p, uint32_t v) noexcept nogil
    int load_acquire_int "clickpy_load_acquire_int"(int *p) noexcept nogil
    void store_release_int "clickpy_store_release_int"(int *p, int v) noexcept nogil
    void fence "clickpy_fence"() noexcept nogil
    void cpu_relax "clickpy_cpu_relax"() noexcept nogil
    void stack_push "clickpy_stack_push"(void **head, void *first, void *last,
                                         size_t off) noexcept nogil
    void *stack_take "clickpy_stack_take"(void **head) noexcept nogil
    bint spin_trylock "clickpy_trylock"(int *lock) noexcept nogil
    void spin_lock "clickpy_lock"(int *lock) noexcept nogil
    void spin_unlock "clickpy_unlock"(int *lock) noexcept nogil
