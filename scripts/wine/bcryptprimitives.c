/*
 * TEST-ONLY stand-in for Windows' bcryptprimitives.dll, for running Go
 * programs under Wine 8.0 (Debian 12). NEVER shipped: real Windows 10/11
 * has the DLL.
 *
 * Go >= 1.22 gets its random bytes from ProcessPrng in bcryptprimitives.dll
 * and aborts at start when it cannot load it; Wine 8.0 has no such DLL.
 * This one exports ProcessPrng over advapi32's RtlGenRandom
 * (SystemFunction036), which Wine does have. scripts/wine/prefix.sh builds
 * it with mingw and copies it into a throwaway prefix's system32.
 */
#include <windows.h>

BOOLEAN WINAPI SystemFunction036(PVOID buffer, ULONG length); /* RtlGenRandom */

BOOL WINAPI ProcessPrng(PBYTE data, SIZE_T size)
{
	/* RtlGenRandom takes a ULONG: fill larger buffers in pieces. */
	while (size > 0) {
		ULONG n = size > 0x40000000 ? 0x40000000 : (ULONG)size;
		if (!SystemFunction036(data, n))
			return FALSE;
		data += n;
		size -= n;
	}
	return TRUE;
}

BOOL WINAPI DllMain(HINSTANCE inst, DWORD reason, LPVOID reserved)
{
	(void)inst;
	(void)reason;
	(void)reserved;
	return TRUE;
}
