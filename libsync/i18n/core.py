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
    "repo.outside": (
        "{path} dẫn ra ngoài kho dữ liệu ({root}); chỉ dùng mã hoặc đường dẫn bên trong kho.",
        "{path} leads outside the repository ({root}); use an id or a path inside it.",
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
    "help.opt.help": ("Xem hướng dẫn này rồi thoát.", "Show this help and exit."),
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

MESSAGES.update({
    "help.init": (
        "Tạo kho dữ liệu cho một mạng thư viện mới: network.yaml mẫu, schema/, thư mục dữ liệu, quy trình CI, CODEOWNERS, pre-commit và commit đầu tiên.",
        "Create a repository for a new library network: network.yaml template, schema/, data folders, CI workflows, CODEOWNERS, pre-commit and a first commit.",
    ),
    "help.init.dir": ("Thư mục mới (chưa có hoặc rỗng).", "The new folder (missing or empty)."),
    "help.init.name": ("Tên mạng liên thông.", "Name of the network."),
    "help.init.id": ("Mã mạng (chữ không dấu, số, '-').", "Network id (unaccented letters, digits, '-')."),
    "help.init.library": ("Một thư viện thành viên, dạng MÃ=Tên trường (lặp lại cho từng trường).", "A member library as CODE=School name (repeat for each)."),
    "help.init.lead": ("Mã thư viện chủ trì (mặc định: thư viện đầu tiên).", "Code of the lead library (default: the first)."),
    "help.init.pip_spec": ("Cách cài libsync trong CI của kho mới (gói pip hoặc địa chỉ git).", "How the new repository's CI installs libsync (pip requirement or git URL)."),
    "help.init.no_commit": ("Không tạo kho Git và commit đầu tiên.", "Do not create the Git repository and first commit."),
    "help.codeowners": ("Tạo lại .github/CODEOWNERS từ network.yaml (ai duyệt thay đổi của thư viện nào).", "Regenerate .github/CODEOWNERS from network.yaml (who reviews which library's changes)."),
    "help.codeowners.check": ("Chỉ kiểm tra; mã thoát 1 nếu CODEOWNERS đã cũ.", "Only check; exit 1 if CODEOWNERS is out of date."),
    "init.not_empty": ("Thư mục {path} đã có nội dung; hãy chọn thư mục mới hoặc rỗng.", "Folder {path} is not empty; choose a new or empty folder."),
    "init.bad_library": ("'{value}' không đúng dạng MÃ=Tên trường (ví dụ XS=Trường THCS Xuân Sơn).", "'{value}' is not CODE=School name (e.g. XS=Trường THCS Xuân Sơn)."),
    "init.placeholder_library": ("Thư viện trường số {n} (sửa tên và mã trong network.yaml)", "School library no. {n} (edit the name and code in network.yaml)"),
    "init.default_name": ("Mạng liên thông thư viện", "Library network"),
    "init.term_name": ("Học kỳ {n} năm học {year}", "Term {n}, school year {year}"),
    "init.commit_message": ("Khởi tạo kho dữ liệu liên thông thư viện: {name}", "Initialise the library network repository: {name}"),
    "init.done": ("Đã tạo kho dữ liệu mới ở {path} ({count} tệp) và commit đầu tiên. Tiếp theo: sửa network.yaml, chạy `libsync codeowners`, rồi `libsync validate`.", "Created the new repository at {path} ({count} files) with a first commit. Next: edit network.yaml, run `libsync codeowners`, then `libsync validate`."),
    "init.readme": (
        "# {name}\n\nKho dữ liệu liên thông thư viện, quản lý bằng [libsync](https://github.com/libsync/libsync).\n\n- `network.yaml` — các thư viện thành viên, nhóm liên thông, lịch năm học.\n- `records/<MÃ>/` — biểu ghi của từng thư viện.\n- `exchanges/` — phiếu luân chuyển tài liệu theo học kỳ.\n- `inventories/<MÃ>/` — các lần kiểm kê.\n\nKiểm tra trước khi gửi pull request:\n\n    libsync validate\n    libsync fmt\n",
        "# {name}\n\nLibrary network repository, managed with [libsync](https://github.com/libsync/libsync).\n\n- `network.yaml` — member libraries, interlinking groups, school-year calendar.\n- `records/<CODE>/` — each library's records.\n- `exchanges/` — rotation manifests per term.\n- `inventories/<CODE>/` — stocktakes.\n\nBefore opening a pull request:\n\n    libsync validate\n    libsync fmt\n",
    ),
    "codeowners.header": ("# Tạo bởi `libsync codeowners` từ network.yaml — đừng sửa tay.", "# Generated by `libsync codeowners` from network.yaml — do not edit by hand."),
    "codeowners.written": ("Đã cập nhật .github/CODEOWNERS.", "Updated .github/CODEOWNERS."),
    "codeowners.current": (".github/CODEOWNERS đã đúng với network.yaml.", ".github/CODEOWNERS matches network.yaml."),
    "codeowners.outdated": (".github/CODEOWNERS đã cũ; chạy `libsync codeowners`.", ".github/CODEOWNERS is out of date; run `libsync codeowners`."),
})

MESSAGES.update({
    "file.outside_repo": (
        "Từ chối ghi {path}: đường dẫn nằm ngoài kho dữ liệu.",
        "Refused to write {path}: the path is outside the repository.",
    ),
    "file.symlink_refused": (
        "Từ chối: {path} là liên kết tượng trưng (symlink); libsync không đọc hay ghi qua symlink trong kho dữ liệu. Hãy thay nó bằng tệp thật.",
        "Refused: {path} is a symbolic link; libsync never reads or writes through symlinks in the repository. Replace it with a real file.",
    ),
    "write.invalid": (
        "Không ghi gì: {count} lỗi mà `libsync validate` sẽ báo nếu ghi thay đổi này:\n{problems}{more}",
        "Nothing written: {count} errors that `libsync validate` would report if this change were written:\n{problems}{more}",
    ),
    "cli.no_answer": ("Không có câu trả lời (hết dữ liệu nhập): không làm gì.", "No answer (end of input): nothing done."),
    "write.changed_meanwhile": (
        "Không ghi gì: {n} tệp đã bị một lệnh khác thay đổi từ lúc lệnh này đọc ({paths}); hãy chạy lại lệnh.",
        "Nothing written: {n} files were changed by another command since this one read them ({paths}); run the command again.",
    ),
    "lock.held": (
        "Một lệnh libsync khác đang ghi vào kho này (tiến trình {pid}: `{command}`, từ {since}). Hãy đợi lệnh đó xong rồi chạy lại. (Khóa: {path}; khóa tự mở khi tiến trình kết thúc.)",
        "Another libsync command is writing to this repository (process {pid}: `{command}`, since {since}). Wait for it to finish, then run this again. (Lock: {path}; it is released when that process ends.)",
    ),
    "recover.bad_journal": (
        "Nhật ký thay đổi {path} bị hỏng nên không tự khôi phục được; hãy kiểm tra các tệp .libsync-bak bên cạnh các tệp dữ liệu rồi xóa nhật ký này.",
        "The change journal {path} is damaged and cannot be recovered automatically; check the .libsync-bak files beside the data files, then delete this journal.",
    ),
    "recover.rolled_back": (
        "Đã hoàn tác một thay đổi dở dang của tiến trình {pid} đã bị dừng đột ngột ({count} tệp trở lại như cũ).",
        "Undid an unfinished change of process {pid}, which was killed ({count} files back as they were).",
    ),
    "recover.completed": (
        "Đã hoàn tất một thay đổi của tiến trình {pid} đã bị dừng đột ngột sau khi ghi xong ({count} tệp).",
        "Completed a change of process {pid}, which was killed after writing it ({count} files).",
    ),
    "recover.nothing": ("Không có thay đổi dở dang nào cần khôi phục.", "No unfinished change to recover."),
    "recover.stray": (
        "Tệp tạm còn sót: {path} — {action}.",
        "Leftover temporary file: {path} — {action}.",
    ),
    "recover.stray.removed": ("đã xóa", "removed"),
    "recover.stray.restored": ("đã khôi phục thành {target}", "restored as {target}"),
    "recover.stray.kept": (
        "giữ lại vì {target} vẫn còn; hãy so sánh rồi xóa bằng tay",
        "kept because {target} exists; compare them and delete it by hand",
    ),
    "recover.pending": (
        "Có thay đổi dở dang của một lệnh libsync bị dừng đột ngột ({count} nhật ký). Chạy `libsync recover` để hoàn tác hoặc hoàn tất nó.",
        "An unfinished change of a libsync command that was killed is pending ({count} journals). Run `libsync recover` to undo or complete it.",
    ),
    "cli.interrupted.nothing": (
        "Đã dừng theo yêu cầu; không tệp nào bị thay đổi.",
        "Stopped on request; no file was changed.",
    ),
    "cli.interrupted.undone": (
        "Đã dừng theo yêu cầu; không tệp nào bị thay đổi (thay đổi đang làm dở đã được hoàn tác).",
        "Stopped on request; no file was changed (the change in progress was undone).",
    ),
    "cli.interrupted.done": (
        "Đã dừng theo yêu cầu, sau khi thay đổi đã ghi xong trọn vẹn ({count} tệp).",
        "Stopped on request, after the change had been written completely ({count} files).",
    ),
    "help.recover": (
        "Khôi phục sau khi một lệnh libsync bị dừng đột ngột (mất điện, kill -9): hoàn tác hoặc hoàn tất thay đổi dở dang, dọn tệp tạm.",
        "Recover after a libsync command was killed (power cut, kill -9): undo or complete an unfinished change, clean up temporary files.",
    ),
})

MESSAGES.update({
    "fmt.comments_kept": (
        "có chú thích (#) không đặt lại được đúng chỗ sau khi định dạng; giữ nguyên tệp như đã viết",
        "has comments (#) that cannot be put back in the right place after formatting; the file is left as written",
    ),
})

MESSAGES.update({
    "output.empty": ("Chưa có tên tệp kết quả (-o).", "No output file name given (-o)."),
    "output.refused": ("Không ghi được ra {path}: {reason}", "Cannot write to {path}: {reason}"),
    "output.symlink": (
        "Không ghi ra {path}: đó là liên kết tượng trưng (symlink). Hãy chọn một tệp thường.",
        "Not writing to {path}: it is a symbolic link. Choose a plain file.",
    ),
    "output.not_regular": (
        "Không ghi ra {path}: đó không phải tệp thường (thư mục, thiết bị, ống dẫn…). Hãy chọn một tên tệp.",
        "Not writing to {path}: it is not a plain file (a folder, a device, a pipe…). Choose a file name.",
    ),
    "output.not_folder": (
        "Không ghi ra {path}: đó không phải thư mục.",
        "Not writing to {path}: it is not a folder.",
    ),
    "output.repository": (
        "Không ghi ra {path}: đường dẫn này là dữ liệu của kho (network.yaml, records/, exchanges/, inventories/, catalog/, schema/, files/, .git). Hãy ghi kết quả ra chỗ khác.",
        "Not writing to {path}: it is part of the repository's data (network.yaml, records/, exchanges/, inventories/, catalog/, schema/, files/, .git). Write the result somewhere else.",
    ),
})
