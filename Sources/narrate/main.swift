import NarrateCLI

await NarrateMain.run()
