# posix_time.pxd -- clock_gettime and nanosleep (POSIX)
cdef extern from "<time.h>" nogil:
    ctypedef long time_t
    struct timespec:
        time_t tv_sec
        long tv_nsec
    enum:
        CLOCK_REALTIME
        CLOCK_MONOTONIC
    int clock_gettime(int clk, timespec *ts)
    int nanosleep(const timespec *req, timespec *rem)
