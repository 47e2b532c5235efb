"""Messages shared by every command: repository discovery, files, Git, generic errors."""

MESSAGES = {
    "repo.not_found": (
        "Không tìm thấy kho dữ liệu mạng thư viện (thư mục có network.yaml) từ {start}. Dùng --repo ĐƯỜNG_DẪN hoặc biến LIBSYNC_REPO.",
        "No library network repository (a folder holding network.yaml) found from {start}. Use --repo PATH or LIBSYNC_REPO.",
    ),
    "repo.no_network": (
        "{path}: không có network.yaml — đây không phải kho dữ liệu mạng thư viện.",
        "{path}: no network.yaml — this is not a library network repository.",
    ),
    "repo.bad_network": (
        "network.yaml không đọc được hoặc không hợp lệ; chạy `libsync validate network.yaml` để xem chi tiết.",
        "network.yaml cannot be read or is invalid; run `libsync validate network.yaml` for details.",
    ),
    "repo.unknown_library": (
        "Mã thư viện không có trong network.yaml: {code} (có: {known}).",
        "Library code not in network.yaml: {code} (known: {known}).",
    ),
    "repo.unknown_term": (
        "Học kỳ không có trong lịch năm học của network.yaml: {term} (có: {known}).",
        "Term not in the school-year calendar of network.yaml: {term} (known: {known}).",
    ),
    "file.not_found": ("Không tìm thấy tệp: {path}", "File not found: {path}"),
    "file.unreadable": ("Không đọc được tệp {path}: {reason}", "Cannot read {path}: {reason}"),
    "file.write_failed": (
        "Không ghi được {path}: {reason}. Không tệp nào bị thay đổi.",
        "Could not write {path}: {reason}. No file was changed.",
    ),
    "file.exists": ("Tệp đã tồn tại: {path}", "File already exists: {path}"),
    "git.not_a_repo": ("{path} không phải kho Git.", "{path} is not a Git repository."),
    "git.bad_ref": ("Không tìm thấy phiên bản Git: {ref}", "Git revision not found: {ref}"),
    "git.dirty": (
        "Kho Git có thay đổi chưa commit trong các tệp sẽ sửa: {paths}. Hãy commit hoặc bỏ chúng trước.",
        "The Git repository has uncommitted changes in files this would touch: {paths}. Commit or discard them first.",
    ),
    "git.no_remote": (
        "Kho Git chưa có remote {remote}; không thể đẩy (push). Thêm bằng `git remote add {remote} URL`.",
        "The Git repository has no remote {remote}; cannot push. Add one with `git remote add {remote} URL`.",
    ),
    "git.failed": ("Lệnh Git thất bại: {reason}", "Git command failed: {reason}"),
    "cli.bad_lang": ("Ngôn ngữ không hỗ trợ: {lang} (dùng vi hoặc en).", "Unsupported language: {lang} (use vi or en)."),
    "cli.bad_format": ("Định dạng không hỗ trợ: {fmt} (dùng {choices}).", "Unsupported format: {fmt} (use {choices})."),
    "cli.internal_error": (
        "Lỗi nội bộ của libsync (xin báo lại cho nhóm phát triển): {error}",
        "Internal libsync error (please report it): {error}",
    ),
    "cli.interrupted": ("Đã dừng theo yêu cầu; không tệp nào bị thay đổi dở dang.", "Interrupted; no file was left half-changed."),
    "yes": ("có", "yes"),
    "no": ("không", "no"),
}

MESSAGES.update({
    "help.app": (
        "libsync — liên thông thư viện: kiểm tra, hợp nhất và luân chuyển tài liệu giữa các thư viện trường học.",
        "libsync — library interlinking: validate, merge and rotate materials between school libraries.",
    ),
    "help.opt.repo": (
        "Thư mục kho dữ liệu mạng (mặc định: LIBSYNC_REPO, hoặc thư mục gần nhất phía trên có network.yaml).",
        "Network repository folder (default: LIBSYNC_REPO, else the nearest folder upward holding network.yaml).",
    ),
    "help.opt.lang": ("Ngôn ngữ thông báo: vi (mặc định) hoặc en; cũng đặt được bằng LIBSYNC_LANG.", "Message language: vi (default) or en; LIBSYNC_LANG also sets it."),
    "help.opt.version": ("In phiên bản rồi thoát.", "Print the version and exit."),
    "help.opt.format": ("Định dạng kết quả: {choices}.", "Output format: {choices}."),
    "help.opt.output": ("Ghi kết quả ra tệp này.", "Write the result to this file."),
    "help.opt.commit": ("Ghi thay đổi thành một commit Git.", "Record the change as one Git commit."),
    "help.opt.dry_run": ("Chỉ cho biết sẽ làm gì; không ghi gì.", "Only show what would happen; write nothing."),
    "help.opt.audience": (
        "Đối tượng xem: public (công khai), network (cả mạng) hoặc mã một thư viện.",
        "Audience: public, network, or one library's code.",
    ),
    "help.opt.library": ("Mã thư viện (như trong network.yaml).", "Library code (as in network.yaml)."),
    "help.opt.yes": ("Không hỏi lại; đồng ý xác nhận.", "Do not ask; confirm."),
})
