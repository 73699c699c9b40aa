/* Large zeroed tables on huge pages (see track_mem.h). */
#include <stddef.h>
#include <sys/mman.h>
#include <unistd.h>
#include <talloc.h>
#include <ss7watch/track_mem.h>

/* Fault in [a, a + len) now. MADV_POPULATE_WRITE (Linux 5.14) does it in one call: on the
 * VMs we measured a page fault costs 12-27 us, a populated page about 1 us. Older kernels
 * refuse it: one write per page then. */
static void populate(char *a, uint64_t len, uint64_t page)
{
#ifdef MADV_POPULATE_WRITE
	if (!madvise(a, len, MADV_POPULATE_WRITE))
		return;
#endif
	/* fresh anonymous pages read as zero: one write per page faults them in (the kernel
	 * zeroes them), a memset of the whole range would write everything a second time */
	for (uint64_t off = 0; off < len; off += page)
		((volatile char *)a)[off] = 0;
}

void *sw_mem_map(uint64_t size, uint64_t *len, enum sw_mem_use use)
{
	const uint64_t huge = 2 << 20, page = sysconf(_SC_PAGESIZE);
	bool use_huge = use == SW_MEM_DENSE && size >= huge;
	uint64_t align = use_huge ? huge : page;
	char *p, *a;

	*len = (size + page - 1) & ~(page - 1);
	p = mmap(NULL, *len + align - page, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
	if (p == MAP_FAILED)
		return NULL;
	a = (char *)(((uintptr_t)p + align - 1) & ~(uintptr_t)(align - 1));
	if (a > p)
		munmap(p, a - p);
	if (p + *len + align - page > a + *len)
		munmap(a + *len, p + align - page - a);
#ifdef MADV_HUGEPAGE
	if (use_huge)
		madvise(a, *len, MADV_HUGEPAGE);
#endif
	if (use == SW_MEM_DENSE)
		populate(a, *len, page);
	return a;
}

void sw_mem_unmap(void *p, uint64_t len)
{
	if (p)
		munmap(p, len);
}

struct mem_owner {
	void *p;
	uint64_t len;
};

static int mem_owner_free(struct mem_owner *o)
{
	sw_mem_unmap(o->p, o->len);
	return 0;
}

void *sw_mem_array(void *ctx, uint64_t n, uint64_t size, enum sw_mem_use use)
{
	struct mem_owner *o = talloc_zero(ctx, struct mem_owner);

	if (!o)
		return NULL;
	o->p = sw_mem_map(n * size > 0 ? n * size : 1, &o->len, use);
	if (!o->p) {
		talloc_free(o);
		return NULL;
	}
	talloc_set_destructor(o, mem_owner_free);
	return o->p;
}
