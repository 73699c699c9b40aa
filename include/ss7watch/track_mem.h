/*! \file track_mem.h
 *  Memory for the large tables of the decoder and the tracker (subscribers, dialogues,
 *  windows, associations): mapped directly (talloc refuses more than 256 MiB). A table read
 *  all over is aligned to and advised for huge pages, so random lookups miss the TLB less,
 *  and faulted in when it is mapped: a page fault on the packet path costs far more than
 *  populating the page up front (12-27 us against about 1 us on the VMs we measured). */
#pragma once
#include <stdbool.h>
#include <stdint.h>

/*! How a table is used, which decides its pages. */
enum sw_mem_use {
	SW_MEM_DENSE,	/*!< random access all over it: huge pages (fewer TLB misses), all of
			     it faulted in (resident) when mapped */
	SW_MEM_SPARSE,	/*!< sized for the worst case, mostly untouched: small pages, so only
			     what is used gets zeroed and mapped */
};

/*! Map size bytes of zeroed memory; SW_MEM_DENSE memory is faulted in now, so the packet
 *  path takes no page fault in it later. \returns the memory (its mapped length in *len), or
 *  NULL. */
void *sw_mem_map(uint64_t size, uint64_t *len, enum sw_mem_use use);

/*! Release what sw_mem_map() returned (NULL allowed). */
void sw_mem_unmap(void *p, uint64_t len);

/*! A talloc-owned zeroed array of n elements of size bytes in such memory: freed with ctx.
 *  \returns the array or NULL. */
void *sw_mem_array(void *ctx, uint64_t n, uint64_t size, enum sw_mem_use use);
