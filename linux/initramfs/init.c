/* /init: the whole userspace of the test initramfs.
 * Mounts /proc, /sys and /dev, prints "MIRALIS-INIT: cpus=N kernel=RELEASE", runs the
 * workloads the kernel command line selects (workload=all | workload=timers,ipi |
 * workload=shell; default all) each in its own process (/bin/workloads NAME), prints
 * "MIRALIS-INIT: FAIL NAME" for each that failed, then "MIRALIS-INIT: poweroff" and powers
 * the machine off through the kernel (reboot(RB_POWER_OFF): SBI SRST shutdown).
 * Where the firmware has no shutdown device (QEMU sifive_u: only gpio-restart), a power-off
 * request would hang in the kernel, so the init reboots instead (with QEMU -no-reboot the
 * emulator exits); poweroff=reboot|poweroff on the command line forces either. */
#include "common.h"
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/reboot.h>
#include <sys/stat.h>
#include <sys/utsname.h>
#include <sys/wait.h>
#include <unistd.h>

#define WORKLOADS_BIN "/bin/workloads"

static char cmdline[4096];
static int failures, passes;

/* The value of `key=` on the kernel command line, copied to out; 0 if absent. */
static int cmdline_get(const char *key, char *out, size_t n)
{
	size_t kl = strlen(key);
	for (const char *p = cmdline; *p;) {
		while (*p == ' ' || *p == '\n')
			p++;
		const char *end = p + strcspn(p, " \n");
		if ((size_t)(end - p) > kl && strncmp(p, key, kl) == 0 && p[kl] == '=') {
			size_t len = (size_t)(end - p) - kl - 1;
			if (len >= n)
				len = n - 1;
			memcpy(out, p + kl + 1, len);
			out[len] = 0;
			return 1;
		}
		p = end;
	}
	return 0;
}

static int is_workload(const char *name)
{
	for (size_t i = 0; i < NWORKLOADS; i++)
		if (strcmp(WORKLOADS[i].name, name) == 0)
			return 1;
	return 0;
}

/* Runs one workload in a child process; a crash there is a FAIL, not the end of init. */
static int run_workload(const char *name)
{
	if (!is_workload(name)) {
		printf("MIRALIS-INIT: unknown workload %s\n", name);
		printf("MIRALIS-INIT: FAIL %s\n", name);
		failures++;
		return 1;
	}
	fflush(stdout);
	pid_t pid = fork();
	if (pid == 0) {
		execl(WORKLOADS_BIN, "workloads", name, (char *)NULL);
		printf("MIRALIS-INIT: exec %s: %s\n", WORKLOADS_BIN, strerror(errno));
		_exit(127);
	}
	int st = 0;
	if (pid < 0 || waitpid(pid, &st, 0) != pid) {
		printf("MIRALIS-INIT: fork/wait for %s: %s\n", name, strerror(errno));
		st = -1;
	}
	if (st == 0) {
		passes++;
		return 0;
	}
	if (st != -1 && WIFSIGNALED(st))
		printf("MIRALIS-INIT: %s killed by signal %d (%s)\n", name, WTERMSIG(st), strsignal(WTERMSIG(st)));
	printf("MIRALIS-INIT: FAIL %s\n", name);
	failures++;
	return 1;
}

static void run_all(void)
{
	for (size_t i = 0; i < NWORKLOADS; i++)
		run_workload(WORKLOADS[i].name);
}

static void cat_file(const char *path)
{
	int fd = open(path, O_RDONLY);
	if (fd < 0) {
		printf("cat: %s: %s\n", path, strerror(errno));
		return;
	}
	fflush(stdout);
	char b[512];
	ssize_t n;
	while ((n = read(fd, b, sizeof(b))) > 0)
		if (write(1, b, (size_t)n) != n)
			break;
	close(fd);
}

static void list_dir(const char *path)
{
	DIR *d = opendir(path);
	if (!d) {
		printf("ls: %s: %s\n", path, strerror(errno));
		return;
	}
	struct dirent *e;
	while ((e = readdir(d)) != NULL)
		if (e->d_name[0] != '.')
			printf("%s\n", e->d_name);
	closedir(d);
}

static void shell_help(void)
{
	printf("commands:\n"
	       "  help                 this list\n"
	       "  run WORKLOAD|all     run a workload (prints its RESULT line)\n"
	       "  cat FILE             print a file (/proc/cpuinfo, /proc/interrupts, ...)\n"
	       "  ls DIR               list a directory\n"
	       "  poweroff             power the machine off\n"
	       "workloads:\n");
	for (size_t i = 0; i < NWORKLOADS; i++)
		printf("  %-11s %s\n", WORKLOADS[i].name, WORKLOADS[i].what);
}

/* workload=shell: a prompt on the console until `poweroff` or end of input. */
static void shell(void)
{
	char line[256];
	printf("MIRALIS-INIT: shell (type help)\n");
	for (;;) {
		printf("miralis> ");
		fflush(stdout);
		if (!fgets(line, sizeof(line), stdin))
			break;
		char *cmd = strtok(line, " \t\r\n");
		char *arg = strtok(NULL, " \t\r\n");
		if (!cmd)
			continue;
		if (strcmp(cmd, "help") == 0) {
			shell_help();
		} else if (strcmp(cmd, "run") == 0 && arg) {
			if (strcmp(arg, "all") == 0)
				run_all();
			else
				run_workload(arg);
		} else if (strcmp(cmd, "cat") == 0 && arg) {
			cat_file(arg);
		} else if (strcmp(cmd, "ls") == 0) {
			list_dir(arg ? arg : "/");
		} else if (strcmp(cmd, "poweroff") == 0 || strcmp(cmd, "exit") == 0) {
			break;
		} else {
			printf("unknown command '%s' (type help)\n", cmd);
		}
	}
}

/* Does the device tree describe something OpenSBI can shut the machine down with? */
static int dt_has_shutdown(const char *dir, int depth)
{
	static const char *const shutdown_compat[] = {
		"sifive,test0", "sifive,test1", "gpio-poweroff", "ucb,htif0", "syscon-poweroff",
		"dlg,da9063",
	};
	char path[512];
	snprintf(path, sizeof(path), "%s/compatible", dir);
	int fd = open(path, O_RDONLY);
	if (fd >= 0) {
		char c[256];
		ssize_t n = read(fd, c, sizeof(c) - 1);
		close(fd);
		for (ssize_t i = 0; n > 0 && i < n; i += (ssize_t)strlen(c + i) + 1) {
			c[n] = 0;
			for (size_t k = 0; k < sizeof(shutdown_compat) / sizeof(shutdown_compat[0]); k++)
				if (strcmp(c + i, shutdown_compat[k]) == 0)
					return 1;
		}
	}
	if (depth > 6)
		return 0;
	DIR *d = opendir(dir);
	if (!d)
		return 0;
	struct dirent *e;
	int found = 0;
	while (!found && (e = readdir(d)) != NULL) {
		if (e->d_name[0] == '.' || e->d_type != DT_DIR)
			continue;
		snprintf(path, sizeof(path), "%s/%s", dir, e->d_name);
		found = dt_has_shutdown(path, depth + 1);
	}
	closedir(d);
	return found;
}

static void __attribute__((noreturn)) power_off(void)
{
	char how[32] = "auto";
	cmdline_get("poweroff", how, sizeof(how));
	int use_reboot = strcmp(how, "reboot") == 0;
	if (strcmp(how, "auto") == 0 && access("/sys/firmware/devicetree/base", F_OK) == 0 &&
	    !dt_has_shutdown("/sys/firmware/devicetree/base", 0)) {
		printf("MIRALIS-INIT: no shutdown device in the device tree: rebooting instead\n");
		use_reboot = 1;
	}
	printf("MIRALIS-INIT: poweroff\n");
	fflush(stdout);
	sync();
	if (!use_reboot) {
		reboot(RB_POWER_OFF);
		printf("MIRALIS-INIT: power off failed (%s): rebooting\n", strerror(errno));
		fflush(stdout);
	}
	reboot(RB_AUTOBOOT);
	printf("MIRALIS-INIT: reboot failed (%s)\n", strerror(errno));
	fflush(stdout);
	for (;;)
		pause();
}

static void uptime_line(const char *what)
{
	char b[64] = "";
	int fd = open("/proc/uptime", O_RDONLY);
	if (fd >= 0) {
		ssize_t n = read(fd, b, sizeof(b) - 1);
		b[n > 0 ? n : 0] = 0;
		close(fd);
	}
	b[strcspn(b, " \n")] = 0;
	printf("MIRALIS-INIT: %s uptime=%ss\n", what, b);
}

int main(void)
{
	setvbuf(stdout, NULL, _IOLBF, 0);
	mkdir("/proc", 0555);
	mkdir("/sys", 0555);
	mkdir("/dev", 0755);
	if (mount("proc", "/proc", "proc", 0, NULL) != 0)
		printf("MIRALIS-INIT: mount /proc: %s\n", strerror(errno));
	if (mount("sysfs", "/sys", "sysfs", 0, NULL) != 0)
		printf("MIRALIS-INIT: mount /sys: %s\n", strerror(errno));
	if (mount("devtmpfs", "/dev", "devtmpfs", 0, NULL) != 0)
		printf("MIRALIS-INIT: mount /dev: %s\n", strerror(errno));

	int fd = open("/proc/cmdline", O_RDONLY);
	if (fd >= 0) {
		ssize_t n = read(fd, cmdline, sizeof(cmdline) - 1);
		cmdline[n > 0 ? n : 0] = 0;
		close(fd);
	}
	struct utsname u;
	if (uname(&u) != 0)
		strcpy(u.release, "?");
	long cpus = sysconf(_SC_NPROCESSORS_ONLN);
	printf("MIRALIS-INIT: cpus=%ld kernel=%s\n", cpus, u.release);
	uptime_line("start");

	char sel[512] = "all";
	cmdline_get("workload", sel, sizeof(sel));
	for (char *save = NULL, *w = strtok_r(sel, ",", &save); w; w = strtok_r(NULL, ",", &save)) {
		if (strcmp(w, "all") == 0)
			run_all();
		else if (strcmp(w, "shell") == 0)
			shell();
		else if (strcmp(w, "none") != 0)
			run_workload(w);
	}
	uptime_line("end");
	printf("MIRALIS-INIT: done passed=%d failed=%d\n", passes, failures);
	power_off();
}
