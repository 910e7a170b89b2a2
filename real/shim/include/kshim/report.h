/* SPDX-License-Identifier: GPL-2.0 */
/*
 * BUG, WARN, printk and panic of the real code. Every BUG and WARN the
 * kernel's own code raises is recorded (kshim_warn) so the driver reports
 * it as a finding; printk output is kept only while the driver asks for it.
 */
#ifndef KSHIM_REPORT_H
#define KSHIM_REPORT_H

#include <stdarg.h>

/* A WARN or BUG of the kernel's code: file, line and the condition. */
void kshim_warn(const char *kind, const char *file, int line, const char *cond);
int kshim_printk(const char *fmt, ...) __printf(1, 2);
__noreturn void kshim_panic(const char *fmt, ...) __printf(1, 2);

#define KERN_SOH "\001"
#define KERN_EMERG KERN_SOH "0"
#define KERN_ALERT KERN_SOH "1"
#define KERN_CRIT KERN_SOH "2"
#define KERN_ERR KERN_SOH "3"
#define KERN_WARNING KERN_SOH "4"
#define KERN_NOTICE KERN_SOH "5"
#define KERN_INFO KERN_SOH "6"
#define KERN_DEBUG KERN_SOH "7"
#define KERN_DEFAULT ""
#define KERN_CONT KERN_SOH "c"

#define printk(fmt, ...) kshim_printk(fmt, ##__VA_ARGS__)
#define printk_deferred(fmt, ...) kshim_printk(fmt, ##__VA_ARGS__)
#define no_printk(fmt, ...) ({ if (0) kshim_printk(fmt, ##__VA_ARGS__); 0; })
#define pr_emerg(fmt, ...) printk(KERN_EMERG fmt, ##__VA_ARGS__)
#define pr_alert(fmt, ...) printk(KERN_ALERT fmt, ##__VA_ARGS__)
#define pr_crit(fmt, ...) printk(KERN_CRIT fmt, ##__VA_ARGS__)
#define pr_err(fmt, ...) printk(KERN_ERR fmt, ##__VA_ARGS__)
#define pr_warn(fmt, ...) printk(KERN_WARNING fmt, ##__VA_ARGS__)
#define pr_notice(fmt, ...) printk(KERN_NOTICE fmt, ##__VA_ARGS__)
#define pr_info(fmt, ...) printk(KERN_INFO fmt, ##__VA_ARGS__)
#define pr_cont(fmt, ...) printk(KERN_CONT fmt, ##__VA_ARGS__)
#define pr_debug(fmt, ...) no_printk(fmt, ##__VA_ARGS__)
#define pr_info_once pr_info
#define pr_warn_once pr_warn
#define pr_err_once pr_err
#define pr_warn_ratelimited pr_warn
#define pr_err_ratelimited pr_err
#define pr_info_ratelimited pr_info

#define BUG() do { kshim_warn("BUG", __FILE__, __LINE__, "BUG()"); __builtin_trap(); } while (0)
#define BUG_ON(cond) do { if (unlikely(cond)) { kshim_warn("BUG", __FILE__, __LINE__, #cond); __builtin_trap(); } } while (0)
#define WARN_ON(cond) ({ int __ret = !!(cond); if (unlikely(__ret)) kshim_warn("WARN", __FILE__, __LINE__, #cond); unlikely(__ret); })
#define WARN_ON_ONCE(cond) WARN_ON(cond)
#define WARN(cond, fmt...) ({ int __ret = !!(cond); if (unlikely(__ret)) kshim_warn("WARN", __FILE__, __LINE__, #cond); unlikely(__ret); })
#define WARN_ONCE(cond, fmt...) WARN(cond, fmt)
#define WARN_ON_FUNCTION_MISMATCH(x, fn) 0
#define panic(fmt, ...) kshim_panic(fmt, ##__VA_ARGS__)
#define dump_stack() do { } while (0)
#define might_sleep() do { } while (0)
#define might_sleep_if(c) do { } while (0)
#define might_fault() do { } while (0)
#define cond_resched() ({ 0; })
#define cpu_relax() do { } while (0)

/* __ratelimit: every message passes (ratelimits depend on the clock). */
struct ratelimit_state { int interval, burst; };
#define DEFINE_RATELIMIT_STATE(name, i, b) struct ratelimit_state name = { i, b }
#define __ratelimit(rs) ({ (void)(rs); 1; })
#define printk_ratelimit() 1
#define DEFAULT_RATELIMIT_INTERVAL 5
#define DEFAULT_RATELIMIT_BURST 10

#endif
